import Foundation

extension Data {
    /// The file at `url`, memory-mapped (its pages are read on use). When it cannot be opened, throws the
    /// error `failure` makes of the problem ("cannot read the file (…)"), so the reader's own error type
    /// names the file. A file reporting size 0 is read with `FileBytes` instead: Foundation leaks a 4 KB
    /// buffer for each such file it reads (found by the fuzzers' leak checker).
    static func mappedFile(at url: URL, failure: (_ problem: String) -> any Error) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
        if size == 0 {
            do { return Data(try FileBytes.read(url.path)) } catch {
                throw failure("cannot read the file (\(error.reason))")
            }
        }
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw failure("cannot read the file (\(error.localizedDescription))")
        }
    }
}

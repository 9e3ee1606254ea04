import Foundation

extension Data {
    /// The file at `url`, memory-mapped (its pages are read on use). When it cannot be opened, throws the
    /// error `failure` makes of the problem ("cannot read the file (…)"), so the reader's own error type
    /// names the file.
    static func mappedFile(at url: URL, failure: (_ problem: String) -> any Error) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw failure("cannot read the file (\(error.localizedDescription))")
        }
    }
}

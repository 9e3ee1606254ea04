#if canImport(Glibc)
import Glibc
#endif

/// Whole files read with open/fstat/read. The readers use this rather than Foundation's
/// `FileManager.contents(atPath:)`, which on Linux leaks a 4 KB buffer for every empty file it reads
/// (swift-foundation's path for files reporting size 0; found by the fuzzers' leak checker).
package enum FileBytes {
    /// Why a file could not be read: the system's message (e.g. "No such file or directory").
    package struct Failure: Error {
        package let reason: String
    }

    /// The bytes of the file at `path`.
    package static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw systemFailure() }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemFailure() }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var filled = 0
        while filled < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { Glibc.read(fd, $0 + filled, buffer.count - filled) } ?? 0
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw systemFailure() }
            if got == 0 { break }
            filled += got
        }
        if info.st_size == 0 {
            // Directories and some special files report size 0; reading tells them apart from empty files.
            var probe: UInt8 = 0
            if Glibc.read(fd, &probe, 1) < 0 { throw systemFailure() }
        }
        return Array(bytes[0..<filled])
    }

    private static func systemFailure() -> Failure { Failure(reason: String(cString: strerror(errno))) }
}

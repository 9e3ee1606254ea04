import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file could not be written.
public struct AtomicFileError: Error, CustomStringConvertible {
    /// The destination path.
    public let path: String
    /// What was being done ("write", "rename onto", …).
    public let operation: String
    /// The errno value.
    public let code: Int32

    public var description: String { "\(path): cannot \(operation) the file (\(String(cString: strerror(code))))" }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files atomically: the bytes go to a temporary file in the destination's directory, which is
/// flushed to disk (fsync) and then renamed over the destination. Readers see the old file or the new
/// one, never a mix, and a failure at any point leaves the previous file intact.
public enum AtomicFile {
    /// Sequential writer handed to `write(to:_:)`'s body.
    public struct Writer {
        fileprivate let descriptor: Int32
        fileprivate let path: String

        /// Appends `bytes` to the file.
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError(path: path, operation: "write", code: errno)
                }
                offset += written
            }
        }

        /// Appends `data` to the file.
        public func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }
    }

    /// Writes `data` atomically to `url`.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try $0.write(data) }
    }

    /// Creates the file at `url` atomically from what `body` writes; if `body` throws, the temporary file
    /// is removed and the error rethrown.
    public static func write(to url: URL, _ body: (Writer) throws -> Void) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        var template = Array((directory + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else { throw AtomicFileError(path: path, operation: "create a temporary file for", code: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        do {
            try body(Writer(descriptor: descriptor, path: path))
            guard fchmod(descriptor, 0o644) == 0 else { throw AtomicFileError(path: path, operation: "set permissions of", code: errno) }
            guard fsync(descriptor) == 0 else { throw AtomicFileError(path: path, operation: "flush", code: errno) }
            closed = true
            guard close(descriptor) == 0 else { throw AtomicFileError(path: path, operation: "close", code: errno) }
            guard rename(temporary, path) == 0 else { throw AtomicFileError(path: path, operation: "rename onto", code: errno) }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

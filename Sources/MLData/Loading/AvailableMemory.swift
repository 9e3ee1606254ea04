import Foundation

/// The memory the system can give this process without swapping (Linux's `MemAvailable`).
enum AvailableMemory {
    /// Bytes available, or nil where /proc/meminfo does not say.
    static func bytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
              let kilobytes = Int(line.split(separator: " ")[1]) else { return nil }
        return kilobytes * 1024
    }

    /// Throws unless `needed` bytes fit in the available memory with a quarter of it left over for training.
    ///
    /// - Parameter what: what the memory is for, in the error message.
    static func check(_ needed: Int, for what: String, available: Int? = bytes()) throws {
        guard let available else { return }
        guard needed <= available / 4 * 3 else {
            throw PreloadError("\(what) needs \(megabytes(needed)) MB; only \(megabytes(available)) MB are available "
                               + "and a quarter is kept for training — run without preloading")
        }
    }

    static func megabytes(_ bytes: Int) -> Int { bytes >> 20 + (bytes & ((1 << 20) - 1) == 0 ? 0 : 1) }
}

/// Preloading refused (not enough memory) or failed.
public struct PreloadError: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) { self.description = description }
}

import Foundation

/// An unsigned-byte IDX array (the MNIST / Fashion-MNIST format), read from a plain or gzip'd file.
///
/// Layout: two zero bytes, a type byte (0x08 = unsigned byte), the dimension count, then each dimension
/// as a big-endian UInt32, then the values in row-major order.
public struct IDXFile: Sendable {
    /// The dimensions, outermost first (e.g. [60000, 28, 28] for images, [60000] for labels).
    public let shape: [Int]
    /// The values in row-major order.
    public let bytes: [UInt8]

    /// Reads the IDX file at `url`, decompressing it first when it is gzip'd.
    ///
    /// - Throws: `DataFileError` naming the file when it is missing, truncated, corrupt or not unsigned bytes.
    public init(contentsOf url: URL) throws {
        let raw = try Self.readFile(url)
        let content = Inflate.isGzip(raw) ? try Inflate.decompress(raw, sizeHint: Self.gzipSize(raw), path: url.path) : raw
        try self.init(parsing: content, path: url.path)
    }

    /// Parses IDX `content` (already decompressed); `path` names it in errors.
    init(parsing content: [UInt8], path: String) throws {
        guard content.count >= 4 else {
            throw DataFileError(path: path, "truncated IDX file: \(content.count) bytes, the header needs at least 4")
        }
        guard content[0] == 0, content[1] == 0 else {
            throw DataFileError(path: path, "not an IDX file (magic number \(content[0...3].map { String($0) }))")
        }
        guard content[2] == 0x08 else {
            throw DataFileError(path: path, "IDX element type 0x\(String(content[2], radix: 16)) is not supported (only 0x08, unsigned bytes)")
        }
        let rank = Int(content[3])
        let headerSize = 4 + 4 * rank
        guard content.count >= headerSize else {
            throw DataFileError(path: path, "truncated IDX file: \(content.count) bytes, the header of \(rank) dimensions needs \(headerSize)")
        }
        let shape = (0..<rank).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(content[4 + 4 * d + $1]) }
        }
        let count = shape.reduce(1, *)
        guard content.count - headerSize >= count else {
            throw DataFileError(path: path, "truncated IDX file: shape \(shape) needs \(count) values, file has \(content.count - headerSize)")
        }
        self.shape = shape
        self.bytes = Array(content[headerSize..<(headerSize + count)])
    }

    /// The file's bytes, or an error naming the missing file.
    static func readFile(_ url: URL) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DataFileError(path: url.path, "file not found or unreadable")
        }
        return [UInt8](data)
    }

    /// The uncompressed size a gzip file records in its last four bytes (modulo 2³²).
    private static func gzipSize(_ raw: [UInt8]) -> Int {
        guard raw.count >= 18 else { return 0 }
        return raw[(raw.count - 4)...].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}

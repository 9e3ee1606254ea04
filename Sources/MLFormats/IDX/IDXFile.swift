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
        try self.init(bytes: try Self.readFile(url), path: url.path)
    }

    /// Parses an IDX file held in `bytes` (plain or gzip'd); `path` names it in errors.
    ///
    /// A gzip'd file is inflated only as far as its header declares: the values the shape needs, then
    /// the end of the stream (whose length and CRC gzip checks). A forged trailer, a cut file or data
    /// beyond the shape is an error, and nothing is allocated for a shape the compressed bytes cannot hold.
    public init(bytes: [UInt8], path: String) throws {
        guard InflateStream.isGzip(bytes) else {
            let shape = try Self.shape(of: bytes, path: path)
            let start = 4 + 4 * shape.rank
            guard bytes.count - start >= shape.count else {
                throw DataFileError(path: path, "truncated IDX file: shape \(shape.dimensions) needs \(shape.count) values, file has \(bytes.count - start)")
            }
            self.shape = shape.dimensions
            self.bytes = Array(bytes[start..<(start + shape.count)])
            return
        }
        let stream = try InflateStream(bytes, format: .zlibOrGzip, path: path)
        let magic = try stream.read(4)
        let header = try magic + stream.read(4 * Self.rank(of: magic, path: path))
        let shape = try Self.shape(of: header, path: path)
        self.shape = shape.dimensions
        self.bytes = try stream.read(shape.count)
        try stream.finish()
    }

    /// The dimensions declared by the header at the start of `content`, and their checked product.
    private static func shape(of content: [UInt8], path: String) throws -> (dimensions: [Int], rank: Int, count: Int) {
        let rank = try rank(of: content, path: path)
        let headerSize = 4 + 4 * rank
        guard content.count >= headerSize else {
            throw DataFileError(path: path, "truncated IDX file: \(content.count) bytes, the header of \(rank) dimensions needs \(headerSize)")
        }
        let dimensions = (0..<rank).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(content[4 + 4 * d + $1]) }
        }
        guard let count = dimensions.checkedProduct else {
            throw DataFileError(path: path, "IDX shape \(dimensions) has more values than memory can address")
        }
        return (dimensions, rank, count)
    }

    /// The dimension count of the header at the start of `content`, after its magic number and type.
    private static func rank(of content: [UInt8], path: String) throws -> Int {
        guard content.count >= 4 else {
            throw DataFileError(path: path, "truncated IDX file: \(content.count) bytes, the header needs at least 4")
        }
        guard content[0] == 0, content[1] == 0 else {
            throw DataFileError(path: path, "not an IDX file (magic number \(content[0...3].map { String($0) }))")
        }
        guard content[2] == 0x08 else {
            throw DataFileError(path: path, "IDX element type 0x\(String(content[2], radix: 16)) is not supported (only 0x08, unsigned bytes)")
        }
        return Int(content[3])
    }

    /// The file's bytes, or an error naming the missing file.
    static func readFile(_ url: URL) throws -> [UInt8] {
        guard let bytes = try? FileBytes.read(url.path) else {
            throw DataFileError(path: url.path, "file not found or unreadable")
        }
        return bytes
    }
}

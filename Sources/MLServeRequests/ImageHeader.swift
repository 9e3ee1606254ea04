/// The size an encoded image declares in its header, read before decoding so that a decompression bomb
/// (a small file declaring billions of pixels) is refused without allocating them.
///
/// A pure function of the bytes, so it can be fuzzed; every read is bounds-checked.
public struct ImageHeader: Equatable, Sendable {
    /// "JPEG" or "PNG".
    public let format: String
    public let width: Int
    public let height: Int

    /// The number of pixels the image declares.
    public var pixels: Int { width * height }

    /// Why a header could not be read.
    public struct Problem: Error, Equatable, CustomStringConvertible, Sendable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Reads the header of a PNG (IHDR) or JPEG (first start-of-frame marker) in `bytes`.
    /// - Throws: `Problem` saying what is wrong: not PNG or JPEG, truncated, or a zero size.
    public init(_ bytes: [UInt8]) throws {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            let (width, height) = try Self.png(bytes)
            self.init(format: "PNG", width: width, height: height)
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            let (width, height) = try Self.jpeg(bytes)
            self.init(format: "JPEG", width: width, height: height)
        } else {
            throw Problem("not a JPEG or PNG image (the first bytes are neither signature)")
        }
    }

    /// A header of `format` declaring `width` × `height`.
    public init(format: String, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    private static func png(_ bytes: [UInt8]) throws -> (Int, Int) {
        guard bytes.count >= 24 else { throw Problem("truncated PNG: \(bytes.count) bytes end before the IHDR chunk") }
        guard bytes[12..<16].elementsEqual(Array("IHDR".utf8)) else { throw Problem("PNG without an IHDR chunk first") }
        let (width, height) = (bigEndian(bytes, at: 16, count: 4), bigEndian(bytes, at: 20, count: 4))
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw Problem("PNG declares an invalid size \(width)×\(height)")
        }
        return (width, height)
    }

    /// Walks the JPEG's marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
    private static func jpeg(_ bytes: [UInt8]) throws -> (Int, Int) {
        var position = 2
        while position < bytes.count {
            guard bytes[position] == 0xFF else { throw Problem("corrupt JPEG: no marker at byte \(position)") }
            while position < bytes.count && bytes[position] == 0xFF { position += 1 }  // fill bytes
            guard position < bytes.count else { break }
            let marker = bytes[position]
            position += 1
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { continue }  // segments without a length
            if marker == 0xD9 || marker == 0xDA { throw Problem("JPEG image data starts before any frame header") }
            guard position + 2 <= bytes.count else { break }
            let length = bigEndian(bytes, at: position, count: 2)
            guard length >= 2 else { throw Problem("corrupt JPEG: segment length \(length) at byte \(position)") }
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard length >= 7, position + 7 <= bytes.count else { break }
                let (height, width) = (bigEndian(bytes, at: position + 3, count: 2), bigEndian(bytes, at: position + 5, count: 2))
                guard width > 0, height > 0 else { throw Problem("JPEG declares an invalid size \(width)×\(height)") }
                return (width, height)
            }
            position += length
        }
        throw Problem("truncated JPEG: the file ends before its frame header")
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> Int {
        bytes[offset..<(offset + count)].reduce(0) { $0 << 8 | Int($1) }
    }
}

extension ImageHeader {
    /// The MIME type of an encoded image by its signature (MLServe's item images).
    package static func contentType(of bytes: [UInt8]) -> String {
        (try? ImageHeader(bytes)).map { $0.format == "PNG" ? "image/png" : "image/jpeg" } ?? "application/octet-stream"
    }
}

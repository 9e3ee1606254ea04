import CZlib
import Foundation

/// Encodes 8-bit RGB images as PNG (no filtering, zlib-compressed): small thumbnails for HTML reports.
public enum PNGEncoder {
    /// The PNG file of a `width` × `height` image whose `pixels` are RGB triples, row by row.
    public static func encode(width: Int, height: Int, pixels: [UInt8]) -> Data {
        precondition(pixels.count == 3 * width * height, "\(pixels.count) bytes are not a \(width)×\(height) RGB image")
        // Scanlines, each prefixed by filter type 0 (none).
        var raw = [UInt8]()
        raw.reserveCapacity(height * (1 + 3 * width))
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * 3 * width)..<((y + 1) * 3 * width)]
        }
        var compressedCount = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedCount))
        let status = compress2(&compressed, &compressedCount, raw, uLong(raw.count), Z_BEST_COMPRESSION)
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        var header = [UInt8]()
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type RGB, deflate, no filter method, no interlace
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", Array(compressed.prefix(Int(compressedCount))), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func appendChunk(_ type: String, _ body: [UInt8], to png: inout Data) {
        var bytes = [UInt8]()
        appendBigEndian(UInt32(body.count), to: &bytes)
        let typeAndBody = Array(type.utf8) + body
        bytes += typeAndBody
        appendBigEndian(UInt32(crc32(0, typeAndBody, uInt(typeAndBody.count))), to: &bytes)
        png.append(contentsOf: bytes)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

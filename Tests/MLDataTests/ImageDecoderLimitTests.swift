import CZlib
import Foundation
@testable import MLData
import TestSupport
import Testing

/// Images whose header declares more pixels than the decoder's limit are refused before decoding.
@Suite struct ImageDecoderLimitTests {
    private func decode(_ bytes: [UInt8], limit: Int = ImageDecoder.pillowMaximumPixels, named name: String) throws -> RGBImage {
        try bytes.withUnsafeBytes { try ImageDecoder(maximumPixels: limit).decode($0, path: name) }
    }

    /// rgb.jpg with its frame header claiming `width` × `height`.
    private func jpeg(claiming width: Int, _ height: Int) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: Fixture.url("images/rgb.jpg")))
        let frame = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes.replaceSubrange((frame + 5)..<(frame + 9), with: [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)])
        return bytes
    }

    @Test func aSmallJPEGClaiming30000SquaredPixelsIsRefused() throws {
        let bytes = try jpeg(claiming: 30000, 30000)
        #expect(bytes.count < 4096)
        let error = #expect(throws: ImageDecodingError.self) { try decode(bytes, named: "bomb.jpg") }
        #expect(error?.problem == .tooLarge(width: 30000, height: 30000, limit: 89_478_485))
        #expect(error?.description == "cannot decode image bomb.jpg: 30000 × 30000 pixels exceed the limit of 89478485 (a decompression bomb?)")
        let widest = #expect(throws: ImageDecodingError.self) { try decode(try jpeg(claiming: 65500, 65500), named: "wide.jpg") }
        #expect(widest?.problem == .tooLarge(width: 65500, height: 65500, limit: 89_478_485))
    }

    @Test func aOneBitPNGClaiming30000SquaredPixelsIsRefused() throws {
        // IHDR: 30000 × 30000, bit depth 1, grey; then a little image data and IEND (never reached).
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            let crc = UInt32(body.withUnsafeBufferPointer { crc32_z(0, $0.baseAddress, $0.count) })
            return be(UInt32(data.count)) + body + be(crc)
        }
        func be(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
        let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be(30000) + be(30000) + [1, 0, 0, 0, 0])
            + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + chunk("IEND", [])
        let error = #expect(throws: ImageDecodingError.self) { try decode(png, named: "bomb.png") }
        #expect(error?.problem == .tooLarge(width: 30000, height: 30000, limit: 89_478_485))
    }

    @Test func theLimitIsConfigurableAndInclusive() throws {
        // rgb.jpg and rgba.png: their exact pixel counts pass, one fewer refuses.
        for name in ["rgb.jpg", "rgba.png"] {
            let bytes = [UInt8](try Data(contentsOf: Fixture.url("images/\(name)")))
            let image = try decode(bytes, named: name)
            #expect(try decode(bytes, limit: image.width * image.height, named: name).pixels == image.pixels)
            let error = #expect(throws: ImageDecodingError.self) { try decode(bytes, limit: image.width * image.height - 1, named: name) }
            #expect(error?.problem == .tooLarge(width: image.width, height: image.height, limit: image.width * image.height - 1))
        }
        #expect(ImageDecoder().maximumPixels == ImageDecoder.pillowMaximumPixels)
    }
}

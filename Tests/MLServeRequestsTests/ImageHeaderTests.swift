import Foundation
import MLData
import MLServeRequests
import TestSupport
import Testing

/// The size an uploaded image declares, read before decoding it.
@Suite struct ImageHeaderTests {
    @Test(arguments: [("rgb.jpg", "JPEG"), ("progressive.jpg", "JPEG"), ("cmyk.jpg", "JPEG"), ("palette.png", "PNG"),
                      ("gray16.png", "PNG")])
    func readsTheSizeOfRealFiles(name: String, format: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Fixture.url("images/\(name)")))
        let header = try ImageHeader(bytes)
        let decoded = try bytes.withUnsafeBytes { try ImageDecoder().decode($0, path: name) }
        #expect(header == ImageHeader(format: format, width: decoded.width, height: decoded.height), "\(name)")
    }

    @Test func refusesWhatIsNotAReadableHeader() {
        func problem(_ bytes: [UInt8]) -> String {
            (#expect(throws: ImageHeader.Problem.self) { try ImageHeader(bytes) })?.description ?? ""
        }
        #expect(problem(Array("GIF89a".utf8)).contains("not a JPEG or PNG"))
        #expect(problem([]).contains("not a JPEG or PNG"))
        #expect(problem([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).contains("truncated PNG"))
        #expect(problem([0xFF, 0xD8, 0xFF, 0xE0, 0x00]).contains("truncated JPEG"))
        #expect(problem([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]).contains("before any frame header"))
        #expect(problem([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01]).contains("segment length 1"))
        #expect(problem([0xFF, 0xD8, 0x00]).contains("no marker"))
        // A frame header declaring a zero height (DNL) is refused.
        #expect(problem([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 0, 0, 16, 3]).contains("invalid size"))
        var png = [UInt8](repeating: 0, count: 24)
        png.replaceSubrange(0..<8, with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png.replaceSubrange(12..<16, with: Array("IHDR".utf8))
        #expect(problem(png).contains("invalid size 0×0"))
    }

    @Test func skipsSegmentsAndFillBytesToTheFrameHeader() throws {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 1, 2, 0xFF, 0xFF, 0xC2, 0x00, 0x0B, 8, 0x01, 0x00, 0x02, 0x80, 3]
        #expect(try ImageHeader(jpeg) == ImageHeader(format: "JPEG", width: 640, height: 256))
    }
}

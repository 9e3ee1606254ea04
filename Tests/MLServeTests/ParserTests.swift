import Foundation
import MLData
@testable import MLServe
import TestSupport
import Testing

/// The pure parsers a client's bytes reach first: image headers and multipart forms.
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

@Suite struct MultipartFormTests {
    @Test func parsesABrowsersForm() throws {
        let body = Array("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n10\r\n--XyZ\r\n".utf8)
            + Array("Content-Disposition: form-data; name=\"file\"; filename=\"a; b.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            + [0, 13, 10, 45, 45, 255] + Array("\r\n--XyZ--\r\nepilogue".utf8)
        let boundary = try #require(MultipartForm.boundary(contentType: "multipart/form-data; charset=utf-8; boundary=\"XyZ\""))
        #expect(boundary == "XyZ")
        let form = try MultipartForm(body, boundary: boundary)
        #expect(form.parts.count == 2)
        #expect(form.parts[0].name == "k" && Array(form.parts[0].body) == Array("10".utf8))
        #expect(form.imagePart?.filename == "a; b.png" && form.imagePart?.contentType == "image/png")
        #expect(form.imagePart.map { Array($0.body) } == [0, 13, 10, 45, 45, 255])
    }

    @Test func boundaryOnlyForFormData() {
        #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
        #expect(MultipartForm.boundary(contentType: "image/png; boundary=x") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "b", count: 71)) == nil)
    }

    @Test func refusesMalformedBodies() {
        func problem(_ text: String) -> String {
            (#expect(throws: MultipartForm.Problem.self) { try MultipartForm(Array(text.utf8), boundary: "b") })?.description ?? ""
        }
        #expect(problem("no delimiter").contains("without its boundary"))
        #expect(problem("--b\r\nContent-Type: x\r\n").contains("no blank line"))
        #expect(problem("--b\r\nname\r\n\r\nbody\r\n--b--").contains("without a colon"))
        #expect(problem("--b\r\n\r\nbody never closed").contains("not closed"))
        #expect(problem("--bX").contains("not ended by CRLF"))
        #expect(problem(String(repeating: "--b\r\n\r\nx\r\n", count: 40) + "--b--").contains("more than 32"))
    }
}

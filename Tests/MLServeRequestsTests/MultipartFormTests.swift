import MLServeRequests
import Testing

/// The `multipart/form-data` bodies of search requests.
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

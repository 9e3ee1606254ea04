import MLServeRequests

extension FuzzTarget {
    /// A search request's multipart form, as the service reads it: the input's first line (CRLF or LF) is the
    /// Content-Type header, whose boundary splits the rest (the body); then every part's headers and the
    /// image header of its content (what the service reads of an upload before decoding it).
    static let multipart = FuzzTarget("multipart") { bytes in
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let line = bytes[..<newline]
        let header = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        guard let boundary = MultipartForm.boundary(contentType: header) else { return }
        let form = try MultipartForm(Array(bytes[min(newline + 1, bytes.count)...]), boundary: boundary)
        for part in form.parts {
            _ = (part.name, part.filename, part.contentType)
            _ = (try? ImageHeader(Array(part.body)))?.pixels
        }
        _ = form.imagePart
    }
}

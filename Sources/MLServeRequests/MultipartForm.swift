/// A `multipart/form-data` body (RFC 7578) split into its parts.
///
/// `parse` is a pure function of the bytes and the Content-Type header, so it can be fuzzed. It accepts
/// what browsers send: CRLF line ends, an optional preamble and epilogue, a quoted or bare boundary.
public struct MultipartForm: Equatable, Sendable {
    /// One part: its headers (names lowercased) and content.
    public struct Part: Equatable, Sendable {
        public let headers: [String: String]
        public let body: ArraySlice<UInt8>

        /// The form field's name (Content-Disposition's `name`).
        public var name: String? { disposition["name"] }
        /// The uploaded file's name (Content-Disposition's `filename`).
        public var filename: String? { disposition["filename"] }
        /// The part's Content-Type.
        public var contentType: String? { headers["content-type"] }

        private var disposition: [String: String] {
            headers["content-disposition"].map { MultipartForm.parameters(of: $0).parameters } ?? [:]
        }
    }

    /// Why a body could not be parsed.
    public struct Problem: Error, Equatable, CustomStringConvertible, Sendable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Limits that bound the work on a hostile body.
    static let maxParts = 32
    static let maxHeaderBytes = 8_192

    public let parts: [Part]

    /// The boundary of a `multipart/form-data` Content-Type, or nil for any other type.
    public static func boundary(contentType: String) -> String? {
        let (type, parameters) = parameters(of: contentType)
        guard type.lowercased() == "multipart/form-data", let boundary = parameters["boundary"],
              (1...70).contains(boundary.utf8.count) else { return nil }
        return boundary
    }

    /// Splits `body` at `--boundary` lines.
    /// - Throws: `Problem` for a body without the opening or closing boundary, a part without the blank
    ///   line ending its headers, a header line without a colon, too many parts or too long headers.
    public init(_ body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        guard var start = Self.find(delimiter, in: body, from: 0) else {
            throw Problem("multipart body without its boundary '--\(boundary)'")
        }
        var parts: [Part] = []
        while true {
            var cursor = start + delimiter.count
            if body[cursor...].starts(with: Array("--".utf8)) { break }  // the closing delimiter
            guard body[cursor...].starts(with: [13, 10]) else { throw Problem("multipart boundary line not ended by CRLF") }
            cursor += 2
            guard parts.count < Self.maxParts else { throw Problem("more than \(Self.maxParts) multipart parts") }
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: cursor - 2) else {
                throw Problem("multipart part \(parts.count + 1) has no blank line after its headers")
            }
            guard headerEnd - cursor <= Self.maxHeaderBytes else { throw Problem("multipart part headers longer than \(Self.maxHeaderBytes) bytes") }
            let headers = try Self.headers(body[cursor..<max(cursor, headerEnd)], part: parts.count + 1)
            let contentStart = headerEnd + 4
            guard let next = Self.find([13, 10] + delimiter, in: body, from: contentStart - 2) else {
                throw Problem("multipart part \(parts.count + 1) is not closed by the boundary")
            }
            parts.append(Part(headers: headers, body: body[contentStart..<max(contentStart, next)]))
            start = next + 2
        }
        self.parts = parts
    }

    /// The first part that carries a file (has a filename), else the first part named "image".
    public var imagePart: Part? {
        parts.first { $0.filename != nil } ?? parts.first { $0.name == "image" }
    }

    private static func headers(_ bytes: ArraySlice<UInt8>, part: Int) throws -> [String: String] {
        var headers: [String: String] = [:]
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw Problem("multipart part \(part): header line without a colon")
            }
            headers[line[..<colon].trimmingSpaces().lowercased()] = line[line.index(after: colon)...].trimmingSpaces()
        }
        return headers
    }

    /// A header value's main token and its `key=value` parameters (values unquoted, keys lowercased).
    static func parameters(of value: String) -> (value: String, parameters: [String: String]) {
        var fields: [Substring] = []
        var current = value[...].startIndex, quoted = false, index = current
        while index < value.endIndex {
            let character = value[index]
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                fields.append(value[current..<index])
                current = value.index(after: index)
            }
            index = value.index(after: index)
        }
        fields.append(value[current...])
        var parameters: [String: String] = [:]
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { continue }
            var parameter = field[field.index(after: equals)...].trimmingSpaces()
            if parameter.count >= 2, parameter.hasPrefix("\""), parameter.hasSuffix("\"") {
                parameter = String(parameter.dropFirst().dropLast())
            }
            parameters[field[..<equals].trimmingSpaces().lowercased()] = parameter
        }
        return (fields[0].trimmingSpaces(), parameters)
    }

    /// The first position of `pattern` in `bytes` at or after `start`.
    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, start >= 0, bytes.count >= pattern.count else { return nil }
        var position = start
        while position + pattern.count <= bytes.count {
            if bytes[position] == first && bytes[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
            position += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

import Foundation
import MLFormats

/// The lines of a dataset's text annotation file, split into fields, with their line numbers for errors.
struct AnnotationText {
    /// One non-empty line: its 1-based number and its text.
    struct Line {
        let number: Int
        let text: Substring
        /// The whitespace-separated fields.
        var fields: [Substring] { text.split(whereSeparator: \.isWhitespace) }
    }

    let url: URL
    let lines: [Line]

    /// Reads `url`; `role` says what the file is for in the missing-file error (e.g. "CUB-200-2011 image list").
    init(_ url: URL, role: String) throws {
        guard let bytes = try? FileBytes.read(url.path) else {
            throw DataFileError(path: url.path, "missing \(role): expected this file")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        self.url = url
        // Character.isNewline also matches "\r\n", one grapheme in Swift: Windows line ends need no trimming.
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap { i, line in
            line.allSatisfy(\.isWhitespace) ? nil : Line(number: i + 1, text: line)
        }
    }

    /// An error about `line` of this file.
    func error(_ line: Line, _ reason: String) -> DataFileError {
        DataFileError(path: url.path, line: line.number, reason)
    }

    /// `line`'s fields, requiring at least `count` of them (`format` describes the expected line).
    func fields(_ line: Line, count: Int, format: String) throws -> [Substring] {
        let fields = line.fields
        guard fields.count >= count else { throw error(line, "expected '\(format)', found '\(line.text)'") }
        return fields
    }

    /// `field` as an integer in `range` (`name` says which column it is).
    func integer(_ field: Substring, in range: ClosedRange<Int>, line: Line, name: String) throws -> Int {
        guard let value = Int(field) else { throw error(line, "\(name) '\(field)' is not an integer") }
        guard range.contains(value) else {
            throw error(line, "\(name) \(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}

/// A data file (IDX, MAT, an annotation list, an image) that could not be read: the message names the file,
/// the line when there is one, and what was wrong.
public struct DataFileError: Error, CustomStringConvertible, Equatable {
    /// The file's path.
    public let path: String
    /// The 1-based line of a text file the error is about, if any.
    public let line: Int?
    /// What was wrong, e.g. "truncated IDX file: shape [4, 5] needs 20 values, file has 17".
    public let reason: String

    /// An error about the file at `path` (and `line` of it, for text files).
    public init(path: String, line: Int? = nil, _ reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)" }
}

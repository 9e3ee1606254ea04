/// An index directory, its metadata or a request against it that cannot be used: the message names the
/// file (and the field, for metadata) and what was wrong.
public struct IndexError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or directory the error is about.
    public let path: String
    /// The metadata field, as a path such as `sources[1].paths[3]`, when the error is about one.
    public let field: String?
    /// What was wrong.
    public let reason: String

    /// An error about `path` (and `field` of its metadata).
    public init(path: String, field: String? = nil, _ reason: String) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    public var description: String {
        field.map { "\(path): field '\($0)': \(reason)" } ?? "\(path): \(reason)"
    }
}

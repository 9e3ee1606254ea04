/// Bad evaluation input: names the file or tensor and what was wrong with it.
public struct EvaluationError: Error, CustomStringConvertible, Equatable {
    /// The file or tensor at fault.
    public let source: String
    /// What was wrong.
    public let problem: String

    /// An error about `source`.
    public init(_ source: String, _ problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}

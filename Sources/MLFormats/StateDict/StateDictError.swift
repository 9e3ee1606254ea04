/// Weights that could not be loaded into a model.
public struct StateDictError: Error, CustomStringConvertible {
    /// The weights file.
    public let source: String
    /// What was wrong.
    public let problem: String

    /// A value with the given members.
    public init(source: String, problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}

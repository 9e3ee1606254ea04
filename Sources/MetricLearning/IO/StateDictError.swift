/// Weights that could not be loaded into a model.
public struct StateDictError: Error, CustomStringConvertible {
    /// The weights file.
    public let source: String
    /// What was wrong.
    public let problem: String

    public var description: String { "\(source): \(problem)" }
}

/// A PyTorch `.pth` file (its zip archive or its pickle) that could not be read.
public struct PyTorchFileError: Error, CustomStringConvertible, Equatable {
    /// The file.
    public let file: String
    /// What was wrong.
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

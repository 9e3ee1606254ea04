/// A loss (or miner) was given input it cannot use: the message names the loss and the problem.
public struct LossError: Error, CustomStringConvertible, Equatable {
    /// The loss or miner, e.g. "ArcFaceLoss" or "TripletMarginMiner".
    public let loss: String
    /// What was wrong, with the offending values.
    public let problem: String

    public init(loss: String, problem: String) {
        self.loss = loss
        self.problem = problem
    }

    public var description: String { "\(loss): \(problem)" }
}

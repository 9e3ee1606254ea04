import MLEngine

/// A loss with an optional miner in front of it: what a training step calls.
public final class Criterion {
    public let loss: any MetricLoss
    public let miner: (any Miner)?

    public init(loss: any MetricLoss, miner: (any Miner)? = nil) {
        self.loss = loss
        self.miner = miner
    }

    /// The loss's parameters (for the optimizer and checkpoints), by PyTorch-style name.
    public var namedParameters: [(name: String, parameter: Parameter)] { loss.namedParameters }

    /// Mines (when there is a miner) and evaluates the loss on `[n, d]` embeddings; the gradient is `[n, d]`,
    /// `correct` the loss's count of rows its classifier gets right (nil without a classifier).
    /// Throws `LossError` naming the loss on bad input.
    public func callAsFunction(_ embeddings: Tensor, labels: [Int], training: Bool = true) throws
        -> (value: Double, gradient: Tensor, correct: Int?) {
        let matrix = try validatedMatrix(embeddings, labels: labels, for: loss.name)
        let indices = miner?.mine(matrix, labels: labels)
        let output = try loss.compute(matrix, labels: labels, indices: indices, training: training)
        return (output.value, output.gradient.tensor, output.correct)
    }

    /// Sets the loss's parameter gradients to zero.
    public func zeroGradients() { loss.zeroGradients() }
}

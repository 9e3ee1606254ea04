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
        let output = try self(validated: validatedMatrix(embeddings, labels: labels, for: loss.name), labels: labels,
                              training: training)
        return (output.value, output.gradient.tensor, output.correct)
    }

    /// Mines and evaluates the loss on embeddings the caller has checked (n × d with d > 0, n the label
    /// count, every value finite), as a training step does once per batch.
    package func callAsFunction(validated embeddings: Matrix, labels: [Int], training: Bool) throws -> LossOutput {
        let indices = miner?.mine(embeddings, labels: labels)
        return try loss.compute(embeddings, labels: labels, indices: indices, training: training)
    }

    /// Sets the loss's parameter gradients to zero.
    public func zeroGradients() { loss.zeroGradients() }

    /// How many numbers one training evaluation of `rows` embeddings of size `columns` takes from the
    /// loss's random stream (0 for a loss without one).
    public func randomDraws(rows: Int, columns: Int) -> Int {
        (loss as? any RandomStreamLoss)?.randomDraws(rows: rows, columns: columns) ?? 0
    }

    /// Where the loss's random stream stands (0 for a loss without one); setting it resumes the stream.
    public var randomStreamPosition: UInt64 {
        get { (loss as? any RandomStreamLoss)?.randomStreamPosition ?? 0 }
        set {
            guard let random = loss as? any RandomStreamLoss else { return }
            random.randomStreamPosition = newValue
        }
    }
}

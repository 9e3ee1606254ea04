import MLEngine

/// A metric-learning loss: embeddings and labels in, value and embedding gradient out.
///
/// A loss owns its parameters (classifier, proxies, centres) and adds their gradients to
/// `Parameter.gradient` on every call; the caller zeroes them between steps. Pairwise losses accept the
/// output of a `Miner`; without one they use every pair or triplet of the batch, as PML does.
public protocol MetricLoss: AnyObject {
    /// The loss's name in messages, PML's class name where there is one ("TripletMarginLoss").
    var name: String { get }

    /// Parameters by PyTorch-style name (`classifier.weight`, `W`, `proxies`), in `state_dict` order.
    var namedParameters: [(name: String, parameter: Parameter)] { get }

    /// The loss and its gradient with respect to `embeddings` (n × d, already validated: finite, n equal to
    /// the label count, d > 0). `training` enables dropout. Throws `LossError` for input the loss cannot
    /// use (a label outside its classes, a wrong embedding size).
    func compute(_ embeddings: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput
}

/// A loss value and the gradient with respect to the embeddings.
public struct LossOutput: Sendable {
    /// The reduced loss.
    public var value: Double
    /// dLoss/dEmbeddings, n × d.
    public var gradient: Matrix
    /// For a loss with a classifier: how many rows score their own label highest (the training accuracy's
    /// numerator, on the logits the loss used; ties go to the lower class). Nil for other losses.
    public var correct: Int?

    public init(value: Double, gradient: Matrix, correct: Int? = nil) {
        self.value = value
        self.gradient = gradient
        self.correct = correct
    }

    /// A zero loss with a zero gradient for `n × d` embeddings.
    static func zero(rows: Int, columns: Int) -> LossOutput {
        LossOutput(value: 0, gradient: Matrix(rows: rows, columns: columns))
    }
}

extension MetricLoss {
    /// The loss on an `[n, d]` tensor of embeddings with `labels`; the gradient comes back as an `[n, d]` tensor.
    /// Throws `LossError` naming this loss when the shapes disagree, d is 0 or a value is not finite.
    public func evaluate(
        _ embeddings: Tensor, labels: [Int], indices: MinedIndices? = nil, training: Bool = true
    ) throws -> (value: Double, gradient: Tensor) {
        let matrix = try validatedMatrix(embeddings, labels: labels, for: name)
        let output = try compute(matrix, labels: labels, indices: indices, training: training)
        return (output.value, output.gradient.tensor)
    }

    /// Sets the gradients of this loss's parameters to zero.
    public func zeroGradients() {
        for entry in namedParameters { entry.parameter.zeroGradient() }
    }
}

/// The embeddings as a double matrix after the checks every loss and miner makes.
package func validatedMatrix(_ embeddings: Tensor, labels: [Int], for owner: String) throws -> Matrix {
    guard embeddings.shape.count == 2 else {
        throw LossError(loss: owner, problem: "embeddings must have shape [n, d], got \(embeddings.shape)")
    }
    let (n, d) = (embeddings.shape[0], embeddings.shape[1])
    guard n == labels.count else {
        throw LossError(loss: owner, problem: "\(n) embeddings but \(labels.count) labels")
    }
    guard d > 0 else { throw LossError(loss: owner, problem: "embedding dimension d is 0 (shape \(embeddings.shape))") }
    let matrix = Matrix(embeddings)
    if let bad = matrix.values.withUnsafeBufferPointer({ $0.firstIndex { !$0.isFinite } }) {
        throw LossError(loss: owner, problem: "embedding [\(bad / d), \(bad % d)] is \(matrix.values[bad]), not finite")
    }
    return matrix
}

/// Throws unless every label is in `0..<classes` and the embedding size is `dimension`.
func checkClassification(_ embeddings: Matrix, labels: [Int], classes: Int, dimension: Int, loss: String) throws {
    guard embeddings.columns == dimension else {
        throw LossError(loss: loss, problem: "embedding size \(embeddings.columns) does not match the loss's \(dimension)")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
        throw LossError(loss: loss, problem: "label \(labels[bad]) at index \(bad) is outside the \(classes) classes 0..<\(classes)")
    }
}

/// Throws unless a classification loss has at least one class and an embedding size of at least 1.
func checkClassCounts(classes: Int, embeddingSize: Int, loss: String) throws {
    guard classes >= 1, embeddingSize >= 1 else {
        throw LossError(loss: loss, problem: "needs classes ≥ 1 and embedding size ≥ 1, got \(classes), \(embeddingSize)")
    }
}

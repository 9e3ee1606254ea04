import MLEngine
import MLModels

/// The paper's classification head and loss (DESIGN §3): dropout on the embedding, a Linear classifier
/// (weight and bias zero-initialised; optionally L2-normalised weight rows, bias kept, no temperature),
/// then the label-smoothed cross-entropy in its KL form, averaged over the batch.
///
/// Parameters: `classifier.weight` [classes, d] and `classifier.bias` [classes].
public final class SmoothCrossEntropyLoss: RandomStreamLoss {
    public let name = "SmoothCrossEntropyLoss"
    /// Number of classes the classifier scores.
    public let classes: Int
    /// The embedding size d.
    public let embeddingSize: Int
    /// Label smoothing ε: target 1 − ε on the label, ε / (classes − 1) elsewhere; 0 is plain cross-entropy.
    public let smoothing: Double
    /// Whether the classifier's weight rows are L2-normalised before use.
    public let normalizesWeight: Bool
    /// Dropout applied to the embeddings in training.
    public let dropout: Dropout
    /// The classifier's weight [classes, d].
    public let weight: Parameter
    /// The classifier's bias [classes].
    public let bias: Parameter

    public init(classes: Int, embeddingSize: Int, smoothing: Double = 0.1, dropout: Double = 0,
                normalizesWeight: Bool = false, seed: UInt64 = 0) throws {
        guard classes >= 1, embeddingSize >= 1 else {
            throw LossError(loss: name, problem: "needs at least one class and embedding size ≥ 1, got \(classes) classes, size \(embeddingSize)")
        }
        guard (0..<1).contains(smoothing) else { throw LossError(loss: name, problem: "smoothing \(smoothing) is outside [0, 1)") }
        guard (0..<1).contains(dropout) else { throw LossError(loss: name, problem: "dropout \(dropout) is outside [0, 1)") }
        self.classes = classes
        self.embeddingSize = embeddingSize
        self.smoothing = smoothing
        self.normalizesWeight = normalizesWeight
        self.dropout = Dropout(probability: dropout, seed: seed)
        weight = Parameter(Tensor(shape: [classes, embeddingSize]))
        bias = Parameter(Tensor(shape: [classes]))
    }

    /// The dropout stream's position.
    public var randomStreamPosition: UInt64 {
        get { dropout.generatorPosition }
        set { dropout.generatorPosition = newValue }
    }

    /// One dropout draw per embedding element (none without dropout).
    public func randomDraws(rows: Int, columns: Int) -> Int { dropout.draws(count: rows * columns) }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("classifier.weight", weight), ("classifier.bias", bias)]
    }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        try checkClassification(x, labels: labels, classes: classes, dimension: embeddingSize, loss: name)
        let n = x.rows
        // x′ = dropout(x)                              [n, d]
        let mask = training ? dropout.drawMask(count: x.values.count) : nil
        var dropped = x
        if let mask { for i in 0..<mask.count { dropped.values[i] *= Double(mask[i]) } }
        // W′ = W or its normalised rows               [C, d]
        let normalization = normalizesWeight ? RowNormalization(weight.matrix) : nil
        let classifier = normalization?.output ?? weight.matrix
        // logits = x′ W′ᵀ + b                          [n, C]
        var logits = Matrix.product(dropped, transposing: classifier)
        let b = bias.matrix.values
        for i in 0..<n { for k in 0..<classes { logits[i, k] += b[k] } }
        var (losses, dLogits) = CrossEntropy.evaluate(logits, labels: labels, smoothing: smoothing)
        dLogits *= 1 / Double(n)
        // Backward: db = Σ_i dlogits_i, dW′ = dlogitsᵀ x′, dx′ = dlogits W′, dx = dx′ ⊙ mask.
        var dBias = Matrix(rows: 1, columns: classes)
        for i in 0..<n { for k in 0..<classes { dBias.values[k] += dLogits[i, k] } }
        bias.accumulateGradient(dBias)
        let dClassifier = Matrix.product(transposing: dLogits, dropped)
        weight.accumulateGradient(normalization?.backward(dClassifier) ?? dClassifier)
        var dx = Matrix.product(dLogits, classifier)
        if let mask { for i in 0..<mask.count { dx.values[i] *= Double(mask[i]) } }
        return LossOutput(value: losses.reduce(0, +) / Double(n), gradient: dx,
                          correct: CrossEntropy.correctCount(logits, labels: labels))
    }
}

import Foundation
import MLEngine

/// PML's `NormalizedSoftmaxLoss`: cross-entropy over logits x̂ · ŵ_c / temperature, with x̂ the
/// L2-normalised embedding and ŵ_c the normalised c-th column of `W` [d, classes]. Mined indices weight
/// each sample by its share of appearances; the mean over the batch is the loss.
public final class NormalizedSoftmaxLoss: MetricLoss {
    public let name = "NormalizedSoftmaxLoss"
    public let classes: Int
    public let embeddingSize: Int
    public let temperature: Double
    /// The class weights [d, classes] (PML's layout and name `W`).
    public let weight: Parameter

    public init(classes: Int, embeddingSize: Int, temperature: Double = 0.05, seed: UInt64 = 0) throws {
        guard classes >= 1, embeddingSize >= 1, temperature > 0 else {
            throw LossError(loss: name, problem: "needs classes ≥ 1, embedding size ≥ 1 and temperature > 0, got \(classes), \(embeddingSize), \(temperature)")
        }
        self.classes = classes
        self.embeddingSize = embeddingSize
        self.temperature = temperature
        weight = try .classVectors(.columns, classes: classes, embeddingSize: embeddingSize, seed: seed, loss: name)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [("W", weight)] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        try checkClassification(x, labels: labels, classes: classes, dimension: embeddingSize, loss: name)
        let n = x.rows
        let sampleWeights = MinedIndices.weights(indices, count: n)
        let similarity = DotProductSimilarity()(x, weight.matrix.transposed)   // [n, C]
        var logits = similarity.values
        logits *= 1 / temperature
        var (losses, dLogits) = CrossEntropy.evaluate(logits, labels: labels)
        for i in 0..<n {
            losses[i] *= sampleWeights[i]
            for k in 0..<classes { dLogits[i, k] *= sampleWeights[i] / (Double(n) * temperature) }
        }
        let (dx, dWeightRows) = similarity.backward(dLogits)
        if let dWeightRows { weight.accumulateGradient(dWeightRows.transposed) }
        return LossOutput(value: losses.reduce(0, +) / Double(n), gradient: dx,
                          correct: CrossEntropy.correctCount(logits, labels: labels))
    }
}

import Foundation
import MLEngine

/// PML's `ArcFaceLoss`: cosine logits between normalised embeddings and the normalised columns of `W`
/// [d, classes], the label's angle widened by `margin` degrees (cos(θ + m), or cos θ − m·sin m once
/// θ > π − m keeps it decreasing), all logits times `scale`, then cross-entropy averaged over the batch.
///
/// Where the label's cosine is exactly ±1 the angle's derivative is infinite (PML's gradient is NaN
/// or infinite); this loss passes no gradient through that angle instead.
public final class ArcFaceLoss: MetricLoss {
    public let name = "ArcFaceLoss"
    public let classes: Int
    public let embeddingSize: Int
    /// The angular margin in degrees (PML's default 28.6).
    public let margin: Double
    public let scale: Double
    /// The class weights [d, classes] (PML's layout and name `W`).
    public let weight: Parameter

    public init(classes: Int, embeddingSize: Int, margin: Double = 28.6, scale: Double = 64, seed: UInt64 = 0) throws {
        self.classes = classes
        self.embeddingSize = embeddingSize
        self.margin = margin
        self.scale = scale
        weight = try .classVectors(.columns, classes: classes, embeddingSize: embeddingSize, seed: seed, loss: name)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [("W", weight)] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        try checkClassification(x, labels: labels, classes: classes, dimension: embeddingSize, loss: name)
        let n = x.rows
        let m = margin * .pi / 180
        let sampleWeights = MinedIndices.weights(indices, count: n)
        let cosine = CosineSimilarity()(x, weight.matrix.transposed)   // [n, C]
        var logits = cosine.values
        var targetSlope = [Double](repeating: 0, count: n)            // d modified / d cosine at the label
        for i in 0..<n {
            let c = cosine[i, labels[i]]
            let clamped = min(max(c, -1), 1)
            let angle = acos(clamped)
            let root = (1 - clamped * clamped).squareRoot()
            if angle <= .pi - m {
                logits[i, labels[i]] = cos(angle + m)
                targetSlope[i] = root > 0 ? sin(angle + m) / root : 0
            } else {
                logits[i, labels[i]] = cos(angle) - m * sin(m)
                targetSlope[i] = root > 0 ? sin(angle) / root : 0
            }
        }
        logits *= scale
        var (losses, dLogits) = CrossEntropy.evaluate(logits, labels: labels)
        for i in 0..<n {
            losses[i] *= sampleWeights[i]
            for k in 0..<classes { dLogits[i, k] *= sampleWeights[i] * scale / Double(n) }
            dLogits[i, labels[i]] *= targetSlope[i]
        }
        let (dx, dWeightRows) = cosine.backward(dLogits)
        if let dWeightRows { weight.accumulateGradient(dWeightRows.transposed) }
        // Accuracy on the plain cosines: the class the classifier predicts, without the training margin.
        return LossOutput(value: losses.reduce(0, +) / Double(n), gradient: dx,
                          correct: CrossEntropy.correctCount(cosine.values, labels: labels))
    }
}

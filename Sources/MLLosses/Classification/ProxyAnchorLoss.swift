import Foundation
import MLEngine

/// PML's `ProxyAnchorLoss` with cosine similarity s between embeddings and `proxies` [classes, d]:
/// for each proxy c, pos_c = log(1 + Σ_{i: y_i = c} e^{α(δ − s_ic)}) and neg_c = log(1 + Σ_{i: y_i ≠ c}
/// e^{α(s_ic + δ)}) (0 without such samples); loss = Σ pos / #proxies with a sample + Σ neg / classes.
/// Mined indices add (weight − 1) to the exponents, as PML does.
public final class ProxyAnchorLoss: MetricLoss {
    public let name = "ProxyAnchorLoss"
    public let classes: Int
    public let embeddingSize: Int
    public let margin: Double
    public let alpha: Double
    /// One proxy per class [classes, d].
    public let proxies: Parameter

    public init(classes: Int, embeddingSize: Int, margin: Double = 0.1, alpha: Double = 32, seed: UInt64 = 0) throws {
        self.classes = classes
        self.embeddingSize = embeddingSize
        self.margin = margin
        self.alpha = alpha
        // PML: Kaiming-normal with fan-out (= classes for a [classes, d] tensor).
        proxies = try .classVectors(.rows, classes: classes, embeddingSize: embeddingSize,
                                    std: (2 / Double(classes)).squareRoot(), seed: seed, loss: name)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [("proxies", proxies)] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        try checkClassification(x, labels: labels, classes: classes, dimension: embeddingSize, loss: name)
        let n = x.rows
        let shift = MinedIndices.weights(indices, count: n).map { $0 - 1 }
        let cosine = CosineSimilarity()(x, proxies.matrix)   // [n, C]
        var present = Set<Int>()
        for y in labels { present.insert(y) }
        var dCosine = Matrix(rows: n, columns: classes)
        var positive = 0.0, negative = 0.0
        // Per proxy: log(1 + Σ e^{z_i}) over its positives and over its negatives, with ∂/∂z_i = e^{z_i} / (1 + Σ e^z).
        var exponents = [Double](repeating: 0, count: n)
        for c in 0..<classes {
            for isPositive in [true, false] {
                let members = (0..<n).filter { (labels[$0] == c) == isPositive }
                guard !members.isEmpty else { continue }
                for i in members {
                    let s = cosine[i, c]
                    exponents[i] = alpha * (isPositive ? margin - s : s + margin) + shift[i]
                }
                let largest = max(0, members.map { exponents[$0] }.max() ?? 0)
                var sum = exp(-largest)
                for i in members { sum += exp(exponents[i] - largest) }
                let term = largest + log(sum)
                let divisor = Double(isPositive ? present.count : classes)
                if isPositive { positive += term } else { negative += term }
                for i in members {
                    let share = exp(exponents[i] - largest) / sum
                    dCosine[i, c] += share * alpha * (isPositive ? -1 : 1) / divisor
                }
            }
        }
        let value = (present.isEmpty ? 0 : positive / Double(present.count)) + negative / Double(classes)
        let (dx, dProxies) = cosine.backward(dCosine)
        if let dProxies { proxies.accumulateGradient(dProxies) }
        return LossOutput(value: value, gradient: dx)
    }
}

import Foundation
import MLEngine

/// PML's `CircleLoss` (cosine similarity only): per anchor with positives and negatives,
/// softplus(lse_P(−γ[1 + m − s]₊(s − (1 − m))) + lse_N(γ[s + m]₊(s − m))), the brackets held constant
/// in the gradient as PML detaches them; by default the mean of the non-zero losses.
public final class CircleLoss: MetricLoss {
    public let name = "CircleLoss"
    public let m: Double
    public let gamma: Double
    public let reducer: any Reducer

    public init(m: Double = 0.4, gamma: Double = 80, reducer: any Reducer = AvgNonZeroReducer()) {
        self.m = m
        self.gamma = gamma
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        guard let masks = PairMasks(indices, labels: labels, loss: name) else { return .zero(rows: x.rows, columns: x.columns) }
        let similarity = CosineSimilarity()(x)
        let s = similarity.values
        // Each pair's logit and its (detached-weight) slope ds → dlogit.
        func positiveWeight(_ v: Double) -> Double { -gamma * max(0, 1 + m - v) }
        func negativeWeight(_ v: Double) -> Double { gamma * max(0, v + m) }
        var losses = [Double](repeating: 0, count: x.rows)
        var slopes = [Double](repeating: 0, count: x.rows)
        var positiveShares: [[Double]] = [], negativeShares: [[Double]] = []
        for i in 0..<x.rows {
            let positive = maskedLogSumExp({ positiveWeight(s[i, $0]) * (s[i, $0] - (1 - self.m)) }, members: masks.positive[i], addOne: false)
            let negative = maskedLogSumExp({ negativeWeight(s[i, $0]) * (s[i, $0] - self.m) }, members: masks.negative[i], addOne: false)
            positiveShares.append(positive.shares)
            negativeShares.append(negative.shares)
            guard !masks.positive[i].isEmpty, !masks.negative[i].isEmpty else { continue }
            let z = positive.value + negative.value
            losses[i] = z > 20 ? z : log1p(exp(z))        // torch's Softplus (threshold 20)
            slopes[i] = z > 20 ? 1 : 1 / (1 + exp(-z))
        }
        let (value, weights) = reducer.reduce(losses)
        var dS = Matrix(rows: x.rows, columns: x.rows)
        for i in 0..<x.rows where weights[i] != 0 && slopes[i] != 0 {
            let g = weights[i] * slopes[i]
            for (j, share) in zip(masks.positive[i], positiveShares[i]) { dS[i, j] += g * share * positiveWeight(s[i, j]) }
            for (j, share) in zip(masks.negative[i], negativeShares[i]) { dS[i, j] += g * share * negativeWeight(s[i, j]) }
        }
        return LossOutput(value: value, gradient: similarity.backward(dS).query)
    }
}

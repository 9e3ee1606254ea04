import MLEngine

/// PML's `SupConLoss`: per anchor, minus the mean over its positives of log softmax(s / temperature)
/// taken over its positives and negatives; by default the mean of the non-zero losses. Default: cosine
/// similarity (distances enter negated). 0 when the batch has no positive or no negative pair.
public final class SupConLoss: MetricLoss {
    public let name = "SupConLoss"
    public let temperature: Double
    public let distance: any Distance
    public let reducer: any Reducer

    public init(temperature: Double = 0.1, distance: any Distance = CosineSimilarity(), reducer: any Reducer = AvgNonZeroReducer()) {
        self.temperature = temperature
        self.distance = distance
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        guard let masks = PairMasks(indices, labels: labels, loss: name),
              masks.positive.contains(where: { !$0.isEmpty }), masks.negative.contains(where: { !$0.isEmpty })
        else { return .zero(rows: x.rows, columns: x.columns) }
        let matrix = distance(x)
        let scale = (distance.isInverted ? 1 : -1) / temperature
        let tiny = Double.leastNormalMagnitude            // PML's small_val guarding the division
        var losses = [Double](repeating: 0, count: x.rows)
        var shares: [[Double]] = []
        var members: [[Int]] = []
        for i in 0..<x.rows {
            let kept = (masks.positive[i] + masks.negative[i]).sorted()
            let (denominator, share) = maskedLogSumExp({ matrix[i, $0] * scale }, members: kept, addOne: false)
            var sum = 0.0
            for j in masks.positive[i] { sum += matrix[i, j] * scale - denominator }
            losses[i] = -sum / (Double(masks.positive[i].count) + tiny)
            shares.append(share)
            members.append(kept)
        }
        let (value, weights) = reducer.reduce(losses)
        var dMatrix = Matrix(rows: x.rows, columns: x.rows)
        for i in 0..<x.rows where weights[i] != 0 {
            // loss_i = −(1/|P|) Σ_P (m_ij − lse_K m_i): ∂/∂m_ij = −[j ∈ P]/|P| + (|P|/|P|) softmax_K(m_i)_j.
            let count = Double(masks.positive[i].count)
            let factor = weights[i] * scale / (count + tiny)
            for j in masks.positive[i] { dMatrix[i, j] -= factor }
            for (j, share) in zip(members[i], shares[i]) { dMatrix[i, j] += factor * count * share }
        }
        return LossOutput(value: value, gradient: matrix.backward(dMatrix).query)
    }
}

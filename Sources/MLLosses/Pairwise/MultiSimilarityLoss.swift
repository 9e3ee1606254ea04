import MLEngine

/// PML's `MultiSimilarityLoss`: per anchor, (1/α) log(1 + Σ_pos e^{α·margin(s, base)}) +
/// (1/β) log(1 + Σ_neg e^{β·margin(base, s)}), averaged over the batch. Default: cosine similarity.
public final class MultiSimilarityLoss: MetricLoss {
    public let name = "MultiSimilarityLoss"
    public let alpha: Double
    public let beta: Double
    public let base: Double
    public let distance: any Distance
    public let reducer: any Reducer

    public init(alpha: Double = 2, beta: Double = 50, base: Double = 0.5, distance: any Distance = CosineSimilarity(),
                reducer: any Reducer = MeanReducer()) {
        self.alpha = alpha
        self.beta = beta
        self.base = base
        self.distance = distance
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        guard let masks = PairMasks(indices, labels: labels, loss: name) else { return .zero(rows: x.rows, columns: x.columns) }
        let matrix = distance(x)
        let sign: Double = distance.isInverted ? -1 : 1      // ∂margin(s, base)/∂s
        var losses = [Double](repeating: 0, count: x.rows)
        var positiveShares: [[Double]] = [], negativeShares: [[Double]] = []
        for i in 0..<x.rows {
            let positive = maskedLogSumExp({ self.alpha * self.distance.margin(matrix[i, $0], self.base) },
                                           members: masks.positive[i], addOne: true)
            let negative = maskedLogSumExp({ self.beta * self.distance.margin(self.base, matrix[i, $0]) },
                                           members: masks.negative[i], addOne: true)
            losses[i] = positive.value / alpha + negative.value / beta
            positiveShares.append(positive.shares)
            negativeShares.append(negative.shares)
        }
        let (value, weights) = reducer.reduce(losses)
        var dMatrix = Matrix(rows: x.rows, columns: x.rows)
        for i in 0..<x.rows where weights[i] != 0 {
            for (j, share) in zip(masks.positive[i], positiveShares[i]) { dMatrix[i, j] += weights[i] * share * sign }
            for (j, share) in zip(masks.negative[i], negativeShares[i]) { dMatrix[i, j] -= weights[i] * share * sign }
        }
        return LossOutput(value: value, gradient: matrix.backward(dMatrix).query)
    }
}

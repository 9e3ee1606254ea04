import MLEngine

/// PML's `ContrastiveLoss`: positive pairs pay [d − pos_margin]₊, negative pairs [neg_margin − d]₊
/// (margins in the distance's direction); each set reduced on its own (default: mean of the non-zero
/// ones), then summed. Default distance: L2 between normalised embeddings.
public final class ContrastiveLoss: MetricLoss {
    public let name = "ContrastiveLoss"
    public let positiveMargin: Double
    public let negativeMargin: Double
    public let distance: any Distance
    public let reducer: any Reducer

    public init(positiveMargin: Double = 0, negativeMargin: Double = 1, distance: any Distance = LpDistance(),
                reducer: any Reducer = AvgNonZeroReducer()) {
        self.positiveMargin = positiveMargin
        self.negativeMargin = negativeMargin
        self.distance = distance
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        let (a1, p, a2, n) = MinedIndices.pairs(indices, labels: labels)
        if [a1, p, a2, n].allSatisfy({ $0.count <= 1 }) { return .zero(rows: x.rows, columns: x.columns) }
        let matrix = distance(x)
        var dMatrix = Matrix(rows: x.rows, columns: x.rows)
        var value = 0.0
        // ∂margin(x, y)/∂x is +1 for distances and −1 for similarities.
        let sign: Double = distance.isInverted ? -1 : 1
        for (anchors, others, isPositive) in [(a1, p, true), (a2, n, false)] where !anchors.isEmpty {
            let losses = zip(anchors, others).map { i, j in
                let d = matrix[i, j]
                return max(0, isPositive ? distance.margin(d, positiveMargin) : distance.margin(negativeMargin, d))
            }
            let (reduced, weights) = reducer.reduce(losses)
            value += reduced
            for (slot, (i, j)) in zip(anchors, others).enumerated() where losses[slot] > 0 {
                dMatrix[i, j] += weights[slot] * (isPositive ? sign : -sign)
            }
        }
        return LossOutput(value: value, gradient: matrix.backward(dMatrix).query)
    }
}

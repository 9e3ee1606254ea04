import Foundation
import MLEngine

/// PML's `TripletMarginLoss`: [margin(d_ap, d_an) + margin]₊ per triplet (softplus instead with
/// `smoothLoss`; with `swap` the negative's distance is the nearer of anchor–negative and
/// positive–negative), reduced by default as the mean of the non-zero ones. Without mined indices every
/// triplet of the batch is used (PML's `triplets_per_anchor="all"`).
public final class TripletMarginLoss: MetricLoss {
    public let name = "TripletMarginLoss"
    public let margin: Double
    public let swap: Bool
    public let smoothLoss: Bool
    public let distance: any Distance
    public let reducer: any Reducer

    public init(margin: Double = 0.05, swap: Bool = false, smoothLoss: Bool = false,
                distance: any Distance = LpDistance(), reducer: any Reducer = AvgNonZeroReducer()) {
        self.margin = margin
        self.swap = swap
        self.smoothLoss = smoothLoss
        self.distance = distance
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        let (a, p, n) = MinedIndices.triplets(indices, labels: labels)
        guard !a.isEmpty else { return .zero(rows: x.rows, columns: x.columns) }
        let matrix = distance(x)
        let sign: Double = distance.isInverted ? -1 : 1     // ∂margin(x, y)/∂x
        var losses = [Double](repeating: 0, count: a.count)
        var slopes = [Double](repeating: 0, count: a.count)
        var negativeFromPositive = [Bool](repeating: false, count: a.count)
        for t in a.indices {
            let ap = matrix[a[t], p[t]]
            var an = matrix[a[t], n[t]]
            if swap {
                let pn = matrix[p[t], n[t]]
                let nearer = distance.isInverted ? pn > an : pn < an
                if nearer { an = pn; negativeFromPositive[t] = true }
            }
            let violation = distance.margin(ap, an) + margin
            if smoothLoss {
                // torch's softplus: linear above 20.
                losses[t] = violation > 20 ? violation : log1p(exp(violation))
                slopes[t] = violation > 20 ? 1 : 1 / (1 + exp(-violation))
            } else {
                losses[t] = max(0, violation)
                slopes[t] = violation > 0 ? 1 : 0
            }
        }
        let (value, weights) = reducer.reduce(losses)
        var dMatrix = Matrix(rows: x.rows, columns: x.rows)
        for t in a.indices where slopes[t] != 0 && weights[t] != 0 {
            let g = weights[t] * slopes[t] * sign
            dMatrix[a[t], p[t]] += g
            if negativeFromPositive[t] { dMatrix[p[t], n[t]] -= g } else { dMatrix[a[t], n[t]] -= g }
        }
        return LossOutput(value: value, gradient: matrix.backward(dMatrix).query)
    }
}

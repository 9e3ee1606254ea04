import Foundation

/// PML's `NCALoss`: for each sample, −log of the softmax mass (over −distance × `softmaxScale` to the
/// other samples) that falls on samples of its label; the mean over samples that have such mass.
/// Default distance: squared L2 between normalised embeddings.
///
/// A batch without any positive pair has no such sample: PML's mean of nothing is NaN, this loss is 0
/// with a zero gradient.
public final class NCALoss: MetricLoss {
    public let name = "NCALoss"
    public let softmaxScale: Double
    public let distance: any Distance
    public let reducer: any Reducer

    public init(softmaxScale: Double = 1, distance: any Distance = LpDistance(power: 2), reducer: any Reducer = MeanReducer()) {
        self.softmaxScale = softmaxScale
        self.distance = distance
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        guard x.rows > 1 else { return .zero(rows: x.rows, columns: x.columns) }
        let matrix = distance(x)
        let (value, dMatrix) = NCA.evaluate(
            matrix.values, queryLabels: labels, referenceLabels: labels, excludesDiagonal: true,
            isInverted: distance.isInverted, scale: softmaxScale,
            weights: MinedIndices.weights(indices, count: x.rows), reducer: reducer)
        return LossOutput(value: value, gradient: matrix.backward(dMatrix).query)
    }
}

/// The computation NCALoss and ProxyNCALoss share.
enum NCA {
    /// The reduced loss and dLoss/dMatrix for a query × reference distance matrix.
    static func evaluate(
        _ distances: Matrix, queryLabels: [Int], referenceLabels: [Int], excludesDiagonal: Bool,
        isInverted: Bool, scale: Double, weights: [Double], reducer: any Reducer
    ) -> (value: Double, gradient: Matrix) {
        let (n, m) = (distances.rows, distances.columns)
        // z = scale · (±mat), the diagonal at the most negative double when a batch meets itself.
        var probabilities = Matrix(rows: n, columns: m)
        var mass = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var largest = -Double.infinity
            for j in 0..<m {
                var v = isInverted ? distances[i, j] : -distances[i, j]
                if excludesDiagonal && i == j { v = -Double.greatestFiniteMagnitude }
                v *= scale
                probabilities[i, j] = v
                largest = max(largest, v)
            }
            var sum = 0.0
            for j in 0..<m {
                let e = exp(probabilities[i, j] - largest)
                probabilities[i, j] = e
                sum += e
            }
            for j in 0..<m {
                probabilities[i, j] /= sum
                if referenceLabels[j] == queryLabels[i] { mass[i] += probabilities[i, j] }
            }
        }
        let kept = (0..<n).filter { mass[$0] != 0 }
        let (value, reduction) = reducer.reduce(kept.map { -log(mass[$0]) * weights[$0] })
        // loss_i = −w_i log S_i:  ∂/∂z_ik = w_i p_ik (1 − [k positive] / S_i).
        var gradient = Matrix(rows: n, columns: m)
        for (slot, i) in kept.enumerated() {
            let factor = reduction[slot] * weights[i] * scale * (isInverted ? 1 : -1)
            for j in 0..<m {
                let positive = referenceLabels[j] == queryLabels[i] ? 1 / mass[i] : 0
                gradient[i, j] = factor * probabilities[i, j] * (1 - positive)
            }
        }
        return (value, gradient)
    }
}

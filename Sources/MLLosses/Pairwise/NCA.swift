import Foundation

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

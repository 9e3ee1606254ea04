import Foundation

/// Softmax cross-entropy of logit rows against labels, optionally label-smoothed, in float64.
enum CrossEntropy {
    /// Per row i: Σ_k t_ik (log t_ik − log softmax(logits_i)_k), the KL form of DESIGN §3, with targets
    /// t = 1 − ε on the label and ε/(C − 1) elsewhere (ε = 0: plain cross-entropy, −log p_label).
    /// Returns the per-row losses and ∂loss_i/∂logits_i = softmax_i − t_i (rows unscaled).
    static func evaluate(_ logits: Matrix, labels: [Int], smoothing: Double = 0) -> (losses: [Double], gradient: Matrix) {
        let classes = logits.columns
        let other = classes > 1 ? smoothing / Double(classes - 1) : 0
        let onLabel = classes > 1 ? 1 - smoothing : 1
        // Σ_k t_k log t_k, the target's negative entropy (0·log 0 = 0).
        let targetTerm = xLogX(onLabel) + Double(classes - 1) * xLogX(other)
        var losses = [Double](repeating: 0, count: logits.rows)
        var gradient = logits
        for i in 0..<logits.rows {
            let row = logits.row(i)
            let largest = row.max() ?? 0
            var sum = 0.0
            for v in row { sum += exp(v - largest) }
            let logSum = largest + log(sum)
            var crossTerm = 0.0
            for k in 0..<classes {
                let logP = logits[i, k] - logSum
                let target = k == labels[i] ? onLabel : other
                crossTerm -= target * logP
                gradient[i, k] = exp(logP) - target
            }
            losses[i] = targetTerm + crossTerm
        }
        return (losses, gradient)
    }

    /// How many rows of `logits` have their largest value at their label (ties → the lower class, as
    /// `torch.argmax`).
    static func correctCount(_ logits: Matrix, labels: [Int]) -> Int {
        var correct = 0
        for i in 0..<logits.rows {
            let row = logits.row(i)
            var best = row.startIndex
            for k in row.indices where row[k] > row[best] { best = k }
            if best - row.startIndex == labels[i] { correct += 1 }
        }
        return correct
    }

    private static func xLogX(_ x: Double) -> Double { x > 0 ? x * log(x) : 0 }
}

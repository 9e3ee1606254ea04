/// Rows divided by their p-norm, as `torch.nn.functional.normalize(x, p, dim=1, eps=1e-12)`, with its backward.
struct RowNormalization {
    /// The normalised rows.
    let output: Matrix
    /// Each row's norm before clamping to `epsilon`.
    private let norms: [Double]
    private let p: Double
    private let input: Matrix

    /// PyTorch's lower bound on the divisor.
    static let epsilon = 1e-12

    init(_ x: Matrix, p: Double = 2) {
        input = x
        self.p = p
        norms = x.rowNorms(p: p)
        var y = x
        let (d, norms) = (x.columns, norms)
        y.values.withUnsafeMutableBufferPointer { y in
            for i in 0..<x.rows {
                let scale = 1 / max(norms[i], Self.epsilon)
                for j in (i * d)..<((i + 1) * d) { y[j] *= scale }
            }
        }
        output = y
    }

    /// dx for dy = dLoss/dOutput: (dy − ∂‖x‖ · (x̂ · dy)) / ‖x‖, or dy / ε where the norm was clamped
    /// (PyTorch's huge gradient for zero vectors).
    func backward(_ dy: Matrix) -> Matrix {
        var dx = dy
        let (d, p, norms) = (input.columns, p, norms)
        input.values.withUnsafeBufferPointer { x in
            dx.values.withUnsafeMutableBufferPointer { dx in
                for i in 0..<input.rows {
                    let (start, norm) = (i * d, norms[i])
                    if norm <= Self.epsilon {
                        for j in start..<(start + d) { dx[j] /= Self.epsilon }
                        continue
                    }
                    // y = x / N(x): dx = dy / N − (Σ_k dy_k x_k) / N² · ∂N/∂x, with ∂N/∂x_j = sign(x_j)|x_j|^(p−1) / N^(p−1).
                    var dot = 0.0
                    for j in start..<(start + d) { dot += dx[j] * x[j] }
                    let coefficient = dot / (norm * norm)
                    for j in start..<(start + d) {
                        let v = x[j]
                        let partial = p == 2 ? v / norm : (v == 0 ? 0 : (v < 0 ? -1 : 1) * abs(v).power(p - 1) / norm.power(p - 1))
                        dx[j] = dx[j] / norm - coefficient * partial
                    }
                }
            }
        }
        return dx
    }
}

/// The p-norm distance ‖q − r‖_p, optionally between L_p-normalised embeddings and raised to `power`
/// (PML's `LpDistance`; defaults: normalised, p = 2, power = 1).
///
/// For p = 2 the squared distances come from a product, ‖q‖² + ‖r‖² − 2 q·r, and pairs whose result is
/// within rounding of 0 are summed again from differences, so identical embeddings are exactly 0 apart;
/// where a distance is 0 its gradient is 0 (as `torch.cdist`'s backward).
public struct LpDistance: Distance {
    public let normalizesEmbeddings: Bool
    public let p: Double
    public let power: Double
    public var isInverted: Bool { false }

    public init(normalizesEmbeddings: Bool = true, p: Double = 2, power: Double = 1) {
        precondition(p > 0, "LpDistance needs p > 0, got \(p)")
        self.normalizesEmbeddings = normalizesEmbeddings
        self.p = p
        self.power = power
    }

    public func callAsFunction(_ query: Matrix, _ reference: Matrix?) -> DistanceMatrix {
        let qNorm = normalizesEmbeddings ? RowNormalization(query, p: p) : nil
        let q = qNorm?.output ?? query
        let rNorm = reference.map { normalizesEmbeddings ? RowNormalization($0, p: p) : nil } ?? nil
        let r = rNorm?.output ?? reference ?? q
        let distances = pairwise(q, r)
        let transform = PowerTransform(power: power)
        let values = transform.apply(distances)
        let isSelf = reference == nil
        return DistanceMatrix(values: values) { gradient in
            let dDistance = transform.backward(gradient, base: distances)
            if isSelf, p == 2 {
                let dq = selfBackward(dDistance, distances: distances, q)
                return (qNorm?.backward(dq) ?? dq, nil)
            }
            var (dq, dr) = backward(dDistance, distances: distances, q, r)
            if isSelf {
                dq += dr
                return (qNorm?.backward(dq) ?? dq, nil)
            }
            return (qNorm?.backward(dq) ?? dq, rNorm?.backward(dr) ?? dr)
        }
    }

    /// d_ij = ‖q_i − r_j‖₂ from ‖q‖² + ‖r‖² − 2 q·r, re-summed from differences where that is within
    /// 1e-6 of its scale (near-duplicates, where the expansion cancels).
    private func euclidean(_ q: Matrix, _ r: Matrix) -> Matrix {
        var result = Matrix.product(q, transposing: r)
        let qq = q.rowNorms().map { $0 * $0 }, rr = r.rowNorms().map { $0 * $0 }
        for i in 0..<q.rows {
            for j in 0..<r.rows {
                var squared = qq[i] + rr[j] - 2 * result[i, j]
                if squared <= 1e-6 * (qq[i] + rr[j]) {
                    squared = 0
                    for k in 0..<q.columns {
                        let difference = q[i, k] - r[j, k]
                        squared += difference * difference
                    }
                }
                result[i, j] = squared.squareRoot()
            }
        }
        return result
    }

    /// dLoss/dx for a batch against itself (p = 2): with w = g / d and s = w + wᵀ,
    /// dx_i = (Σ_j s_ij) x_i − (s x)_i — one product instead of one per role.
    private func selfBackward(_ g: Matrix, distances: Matrix, _ x: Matrix) -> Matrix {
        let n = x.rows
        var symmetric = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n {
                let (dij, dji) = (distances[i, j], distances[j, i])
                symmetric[i, j] = (dij == 0 ? 0 : g[i, j] / dij) + (dji == 0 ? 0 : g[j, i] / dji)
            }
        }
        var dx = Matrix.product(symmetric, x)
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n { sum += symmetric[i, j] }
            for k in 0..<x.columns { dx[i, k] = sum * x[i, k] - dx[i, k] }
        }
        return dx
    }

    /// d_ij = (Σ_k |q_ik − r_jk|^p)^(1/p); q is n × d, r is m × d.
    private func pairwise(_ q: Matrix, _ r: Matrix) -> Matrix {
        if p == 2 { return euclidean(q, r) }
        let (n, m, d) = (q.rows, r.rows, q.columns)
        let rT = r.transposed
        var result = Matrix(rows: n, columns: m)
        var accumulator = [Double](repeating: 0, count: m)
        for i in 0..<n {
            for j in 0..<m { accumulator[j] = 0 }
            accumulator.withUnsafeMutableBufferPointer { acc in
                rT.values.withUnsafeBufferPointer { rt in
                    guard let base = rt.baseAddress else { return }
                    for k in 0..<d {
                        let x = q[i, k]
                        let row = base + k * m
                        for j in 0..<m { acc[j] += abs(x - row[j]).power(p) }
                    }
                }
            }
            for j in 0..<m { result[i, j] = accumulator[j].power(1 / p) }
        }
        return result
    }

    /// Gradients of the distances for dLoss/dDistance `g`.
    private func backward(_ g: Matrix, distances: Matrix, _ q: Matrix, _ r: Matrix) -> (Matrix, Matrix) {
        let (n, m, d) = (q.rows, r.rows, q.columns)
        if p == 2 {
            // ∂d_ij/∂q_i = (q_i − r_j) / d_ij: with w = g / d, dq = rowsum(w)·q − w·r, dr = colsum(w)·r − wᵀ·q.
            var w = g
            for index in 0..<w.values.count {
                let distance = distances.values[index]
                w.values[index] = distance == 0 ? 0 : g.values[index] / distance
            }
            var dq = Matrix.product(w, r)
            var dr = Matrix.product(transposing: w, q)
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<m { sum += w[i, j] }
                for k in 0..<d { dq[i, k] = sum * q[i, k] - dq[i, k] }
            }
            for j in 0..<m {
                var sum = 0.0
                for i in 0..<n { sum += w[i, j] }
                for k in 0..<d { dr[j, k] = sum * r[j, k] - dr[j, k] }
            }
            return (dq, dr)
        }
        // General p: ∂d_ij/∂q_ik = sign(δ)|δ|^(p−1) / d_ij^(p−1), δ = q_ik − r_jk.
        var dq = Matrix(rows: n, columns: d), dr = Matrix(rows: m, columns: d)
        for i in 0..<n {
            for j in 0..<m {
                let distance = distances[i, j]
                guard g[i, j] != 0, distance != 0 else { continue }
                let scale = g[i, j] / distance.power(p - 1)
                for k in 0..<d {
                    let delta = q[i, k] - r[j, k]
                    guard delta != 0 else { continue }
                    let term = scale * (delta < 0 ? -1 : 1) * abs(delta).power(p - 1)
                    dq[i, k] += term
                    dr[j, k] -= term
                }
            }
        }
        return (dq, dr)
    }
}

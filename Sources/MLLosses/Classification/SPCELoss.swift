import MLEngine

/// The paper's simplified pairwise cross-entropy (DESIGN §5): cross-entropy with the classifier replaced
/// by the batch's class sums, logits_ik = (1/n) Σ_{j: y_j = k} z_iᵀ z_j (j = i included) over all
/// `classes` training classes (an absent class has logit 0), averaged over the batch. With
/// `presentClassesOnly` the softmax runs over the classes that occur in the batch.
public final class SPCELoss: MetricLoss {
    public let name = "SPCELoss"
    /// K, the number of training classes.
    public let classes: Int
    public let presentClassesOnly: Bool

    public init(classes: Int, presentClassesOnly: Bool = false) throws {
        guard classes >= 1 else { throw LossError(loss: name, problem: "needs at least one class, got \(classes)") }
        self.classes = classes
        self.presentClassesOnly = presentClassesOnly
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw LossError(loss: name, problem: "label \(labels[bad]) at index \(bad) is outside the \(classes) classes 0..<\(classes)")
        }
        let (n, d) = (x.rows, x.columns)
        // The classes scored: all K, or those present in the batch (ascending).
        let scored = presentClassesOnly ? Array(Set(labels)).sorted() : Array(0..<classes)
        var column = [Int](repeating: -1, count: classes)
        for (slot, k) in scored.enumerated() { column[k] = slot }
        // S_k = Σ_{j: y_j = k} z_j                      [K′, d]
        var sums = Matrix(rows: scored.count, columns: d)
        x.values.withUnsafeBufferPointer { x in
            sums.values.withUnsafeMutableBufferPointer { sums in
                for j in 0..<n {
                    let (source, target) = (j * d, column[labels[j]] * d)
                    for l in 0..<d { sums[target + l] += x[source + l] }
                }
            }
        }
        // logits = Z Sᵀ / n                              [n, K′]
        var logits = Matrix.product(x, transposing: sums)
        logits *= 1 / Double(n)
        let targets = labels.map { column[$0] }
        var (losses, dLogits) = CrossEntropy.evaluate(logits, labels: targets)
        // dlogits = (p − onehot) / n; dZ = dlogits S / n + (dlogitsᵀ Z / n) gathered by label.
        dLogits *= 1 / Double(n * n)
        var dx = Matrix.product(dLogits, sums)
        let dSums = Matrix.product(transposing: dLogits, x)
        dSums.values.withUnsafeBufferPointer { dSums in
            dx.values.withUnsafeMutableBufferPointer { dx in
                for j in 0..<n {
                    let (source, target) = (targets[j] * d, j * d)
                    for l in 0..<d { dx[target + l] += dSums[source + l] }
                }
            }
        }
        losses = losses.map { $0 / Double(n) }
        return LossOutput(value: losses.reduce(0, +), gradient: dx)
    }
}

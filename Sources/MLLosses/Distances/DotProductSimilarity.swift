/// The dot product q · r, optionally between L2-normalised embeddings and raised to `power` (PML's
/// `DotProductSimilarity`; PML normalises by default, which makes it equal to the cosine similarity).
public struct DotProductSimilarity: Distance {
    public let normalizesEmbeddings: Bool
    public let power: Double
    public var p: Double { 2 }
    public var isInverted: Bool { true }

    public init(normalizesEmbeddings: Bool = true, power: Double = 1) {
        self.normalizesEmbeddings = normalizesEmbeddings
        self.power = power
    }

    public func callAsFunction(_ query: Matrix, _ reference: Matrix?) -> DistanceMatrix {
        let qNorm = normalizesEmbeddings ? RowNormalization(query) : nil
        let q = qNorm?.output ?? query
        let rNorm = reference.map { normalizesEmbeddings ? RowNormalization($0) : nil } ?? nil
        let r = rNorm?.output ?? reference ?? q
        let products = Matrix.product(q, transposing: r)
        let transform = PowerTransform(power: power)
        let isSelf = reference == nil
        return DistanceMatrix(values: transform.apply(products)) { gradient in
            var g = transform.backward(gradient, base: products)
            if isSelf {
                // Both roles at once: dx = (g + gᵀ) x.
                g += g.transposed
                let dx = Matrix.product(g, q)
                return (qNorm?.backward(dx) ?? dx, nil)
            }
            let dq = Matrix.product(g, r)
            let dr = Matrix.product(transposing: g, q)
            return (qNorm?.backward(dq) ?? dq, rNorm?.backward(dr) ?? dr)
        }
    }
}

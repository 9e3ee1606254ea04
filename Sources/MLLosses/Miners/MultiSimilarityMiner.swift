/// PML's `MultiSimilarityMiner`: the positives less similar than the anchor's most similar negative
/// plus ε, and the negatives more similar than its least similar positive minus ε (mirrored for
/// distances). Each anchor's pairs come in ascending order of the matrix value. Default: cosine similarity.
public final class MultiSimilarityMiner: Miner {
    public let name = "MultiSimilarityMiner"
    public let epsilon: Double
    public let distance: any Distance

    public init(epsilon: Double = 0.1, distance: any Distance = CosineSimilarity()) {
        self.epsilon = epsilon
        self.distance = distance
    }

    public func mine(_ embeddings: Matrix, labels: [Int]) -> MinedIndices {
        let matrix = distance(embeddings).values
        var a1: [Int] = [], p: [Int] = [], a2: [Int] = [], n: [Int] = []
        let hasPositive = labels.indices.contains { i in labels.indices.contains { $0 != i && labels[$0] == labels[i] } }
        let hasNegative = labels.indices.contains { i in labels.contains { $0 != labels[i] } }
        guard hasPositive, hasNegative else { return .pairs(a1: [], p: [], a2: [], n: []) }
        let inverted = distance.isInverted
        for i in labels.indices {
            let ascending: (Int, Int) -> Bool = { (matrix[i, $0], $0) < (matrix[i, $1], $1) }
            let positives = labels.indices.filter { $0 != i && labels[$0] == labels[i] }.sorted(by: ascending)
            let negatives = labels.indices.filter { labels[$0] != labels[i] }.sorted(by: ascending)
            guard let firstPositive = positives.first, let lastPositive = positives.last,
                  let firstNegative = negatives.first, let lastNegative = negatives.last else { continue }
            for j in positives {
                let hard = inverted ? matrix[i, j] - epsilon < matrix[i, lastNegative]
                                    : matrix[i, j] + epsilon > matrix[i, firstNegative]
                if hard { a1.append(i); p.append(j) }
            }
            for j in negatives {
                let hard = inverted ? matrix[i, j] + epsilon > matrix[i, firstPositive]
                                    : matrix[i, j] - epsilon < matrix[i, lastPositive]
                if hard { a2.append(i); n.append(j) }
            }
        }
        return .pairs(a1: a1, p: p, a2: a2, n: n)
    }
}

/// PML's `PairMarginMiner`: positive pairs farther apart than `positiveMargin` and negative pairs nearer
/// than `negativeMargin` (in the distance's direction). Default distance: L2 of normalised embeddings.
public final class PairMarginMiner: Miner {
    public let name = "PairMarginMiner"
    public let positiveMargin: Double
    public let negativeMargin: Double
    public let distance: any Distance

    public init(positiveMargin: Double = 0.2, negativeMargin: Double = 0.8, distance: any Distance = LpDistance()) {
        self.positiveMargin = positiveMargin
        self.negativeMargin = negativeMargin
        self.distance = distance
    }

    public func mine(_ embeddings: Matrix, labels: [Int]) -> MinedIndices {
        let matrix = distance(embeddings).values
        guard case let .pairs(a1, p, a2, n) = MinedIndices.allPairs(labels) else { return .pairs(a1: [], p: [], a2: [], n: []) }
        let inverted = distance.isInverted
        let keepPositive = zip(a1, p).map { inverted ? matrix[$0, $1] < positiveMargin : matrix[$0, $1] > positiveMargin }
        let keepNegative = zip(a2, n).map { inverted ? matrix[$0, $1] > negativeMargin : matrix[$0, $1] < negativeMargin }
        return .pairs(a1: a1.indices.filter { keepPositive[$0] }.map { a1[$0] },
                      p: p.indices.filter { keepPositive[$0] }.map { p[$0] },
                      a2: a2.indices.filter { keepNegative[$0] }.map { a2[$0] },
                      n: n.indices.filter { keepNegative[$0] }.map { n[$0] })
    }
}

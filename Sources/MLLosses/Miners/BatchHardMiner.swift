/// PML's `BatchHardMiner`: for each anchor with a positive and a negative, its farthest positive and its
/// nearest negative (first index on ties) as one triplet. Default distance: L2 of normalised embeddings.
public final class BatchHardMiner: Miner {
    public let name = "BatchHardMiner"
    public let distance: any Distance

    public init(distance: any Distance = LpDistance()) { self.distance = distance }

    public func mine(_ embeddings: Matrix, labels: [Int]) -> MinedIndices {
        let matrix = distance(embeddings).values
        // "Harder" means farther for a positive and nearer for a negative, in the distance's direction.
        func harderPositive(_ a: Double, than b: Double) -> Bool { distance.isInverted ? a < b : a > b }
        var anchors: [Int] = [], positives: [Int] = [], negatives: [Int] = []
        for i in labels.indices {
            var positive: Int?, negative: Int?
            for j in labels.indices where j != i {
                if labels[j] == labels[i] {
                    if positive.map({ harderPositive(matrix[i, j], than: matrix[i, $0]) }) ?? true { positive = j }
                } else if negative.map({ harderPositive(matrix[i, $0], than: matrix[i, j]) }) ?? true {
                    negative = j
                }
            }
            if let positive, let negative {
                anchors.append(i); positives.append(positive); negatives.append(negative)
            }
        }
        return .triplets(a: anchors, p: positives, n: negatives)
    }
}

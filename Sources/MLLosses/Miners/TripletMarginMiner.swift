/// PML's `TripletMarginMiner`: the triplets whose margin margin(d_an, d_ap) is at most `margin`
/// ("all"), of those the ones with the negative at least as near as the positive ("hard") or farther
/// ("semihard"), or the triplets beyond the margin ("easy"). Default distance: L2 of normalised embeddings.
public final class TripletMarginMiner: Miner {
    /// Which triplets to keep.
    public enum Selection: String, CaseIterable, Sendable { case all, hard, semihard, easy }

    public let name = "TripletMarginMiner"
    public let margin: Double
    public let selection: Selection
    public let distance: any Distance

    public init(margin: Double = 0.2, selection: Selection = .all, distance: any Distance = LpDistance()) {
        self.margin = margin
        self.selection = selection
        self.distance = distance
    }

    public func mine(_ embeddings: Matrix, labels: [Int]) -> MinedIndices {
        let matrix = distance(embeddings).values
        let all = MinedIndices.allTriplets(labels)
        var a: [Int] = [], p: [Int] = [], n: [Int] = []
        for t in all.a.indices {
            let ap = matrix[all.a[t], all.p[t]], an = matrix[all.a[t], all.n[t]]
            let tripletMargin = distance.isInverted ? ap - an : an - ap
            let keep: Bool
            switch selection {
            case .easy: keep = tripletMargin > margin
            case .all: keep = tripletMargin <= margin
            case .hard: keep = tripletMargin <= margin && tripletMargin <= 0
            case .semihard: keep = tripletMargin <= margin && tripletMargin > 0
            }
            if keep { a.append(all.a[t]); p.append(all.p[t]); n.append(all.n[t]) }
        }
        return .triplets(a: a, p: p, n: n)
    }
}

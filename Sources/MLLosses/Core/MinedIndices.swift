/// What a miner chooses in a batch: anchor–positive and anchor–negative pairs, or triplets
/// (PML's 4-tuple `a1, p, a2, n` and 3-tuple `a, p, n`).
public enum MinedIndices: Sendable, Equatable {
    /// Positive pairs (`a1[i]`, `p[i]`) and negative pairs (`a2[i]`, `n[i]`).
    case pairs(a1: [Int], p: [Int], a2: [Int], n: [Int])
    /// Triplets (`a[i]`, `p[i]`, `n[i]`).
    case triplets(a: [Int], p: [Int], n: [Int])

    /// Every positive pair (i ≠ j, same label) and every negative pair, row-major order.
    static func allPairs(_ labels: [Int]) -> MinedIndices {
        var a1: [Int] = [], p: [Int] = [], a2: [Int] = [], n: [Int] = []
        for i in labels.indices {
            for j in labels.indices {
                if labels[i] == labels[j] {
                    if i != j { a1.append(i); p.append(j) }
                } else {
                    a2.append(i); n.append(j)
                }
            }
        }
        return .pairs(a1: a1, p: p, a2: a2, n: n)
    }

    /// Every triplet (anchor, positive ≠ anchor, negative), ordered by anchor, positive, negative.
    static func allTriplets(_ labels: [Int]) -> (a: [Int], p: [Int], n: [Int]) {
        var a: [Int] = [], p: [Int] = [], n: [Int] = []
        for i in labels.indices {
            for j in labels.indices where j != i && labels[j] == labels[i] {
                for k in labels.indices where labels[k] != labels[i] {
                    a.append(i); p.append(j); n.append(k)
                }
            }
        }
        return (a, p, n)
    }

    /// These indices as pairs (a triplet gives the pairs (a, p) and (a, n)); all pairs when nil.
    static func pairs(_ indices: MinedIndices?, labels: [Int]) -> (a1: [Int], p: [Int], a2: [Int], n: [Int]) {
        switch indices ?? allPairs(labels) {
        case let .pairs(a1, p, a2, n): (a1, p, a2, n)
        case let .triplets(a, p, n): (a, p, a, n)
        }
    }

    /// These indices as triplets (pairs sharing an anchor are combined, in PML's order); all when nil.
    static func triplets(_ indices: MinedIndices?, labels: [Int]) -> (a: [Int], p: [Int], n: [Int]) {
        switch indices {
        case nil: return allTriplets(labels)
        case let .triplets(a, p, n)?: return (a, p, n)
        case let .pairs(a1, p, a2, n)?:
            var ra: [Int] = [], rp: [Int] = [], rn: [Int] = []
            for i in a1.indices {
                for j in a2.indices where a2[j] == a1[i] {
                    ra.append(a1[i]); rp.append(p[i]); rn.append(n[j])
                }
            }
            return (ra, rp, rn)
        }
    }

    /// PML's miner weights: each sample's count of appearances in the indices over the largest count
    /// (only anchors count when `anchorsOnly`); every weight is 1 without indices or with empty ones.
    static func weights(_ indices: MinedIndices?, count: Int, anchorsOnly: Bool = false) -> [Double] {
        let all: [Int]
        switch indices {
        case nil: return Array(repeating: 1, count: count)
        case let .pairs(a1, p, a2, n)?: all = anchorsOnly ? a1 + a2 : a1 + p + a2 + n
        case let .triplets(a, p, n)?: all = anchorsOnly ? a : a + p + n
        }
        if all.isEmpty { return Array(repeating: 1, count: count) }
        var counts = Array(repeating: 0.0, count: count)
        for i in all { counts[i] += 1 }
        let largest = counts.max() ?? 1
        return counts.map { $0 / largest }
    }

    /// Throws unless every index is inside a batch of `count`.
    func check(count: Int, loss: String) throws {
        let all: [Int]
        switch self {
        case let .pairs(a1, p, a2, n):
            guard a1.count == p.count, a2.count == n.count else {
                throw LossError(loss: loss, problem: "mined pairs of unequal lengths \(a1.count)/\(p.count), \(a2.count)/\(n.count)")
            }
            all = a1 + p + a2 + n
        case let .triplets(a, p, n):
            guard a.count == p.count, p.count == n.count else {
                throw LossError(loss: loss, problem: "mined triplets of unequal lengths \(a.count)/\(p.count)/\(n.count)")
            }
            all = a + p + n
        }
        if let bad = all.first(where: { $0 < 0 || $0 >= count }) {
            throw LossError(loss: loss, problem: "mined index \(bad) is outside the batch of \(count)")
        }
    }
}

import Foundation

/// Positive and negative pair masks of a batch (PML's `mat_based_loss` input): `positive[i]` lists the j
/// paired with anchor i as a positive, once each, ascending; likewise `negative[i]`.
struct PairMasks {
    let positive: [[Int]]
    let negative: [[Int]]

    /// Masks from mined indices or all pairs; nil when PML skips the loss (no index list longer than 1).
    init?(_ indices: MinedIndices?, labels: [Int], loss: String) {
        let (a1, p, a2, n) = MinedIndices.pairs(indices, labels: labels)
        if [a1, p, a2, n].allSatisfy({ $0.count <= 1 }) { return nil }
        let count = labels.count
        var flags = [UInt8](repeating: 0, count: count * count)      // bit 0: positive, bit 1: negative
        for (i, j) in zip(a1, p) { flags[i * count + j] |= 1 }
        for (i, j) in zip(a2, n) { flags[i * count + j] |= 2 }
        precondition(!flags.contains(3), "\(loss): a pair is both positive and negative")
        positive = (0..<count).map { i in (0..<count).filter { flags[i * count + $0] & 1 != 0 } }
        negative = (0..<count).map { i in (0..<count).filter { flags[i * count + $0] & 2 != 0 } }
    }
}

/// log(Σ_j e^{x_j}) (plus e⁰ when `addOne`) over `members` of `row`, with each member's share
/// e^{x_j} / Σ; 0 and no shares for no members (PML's masked `logsumexp`).
func maskedLogSumExp(_ values: (Int) -> Double, members: [Int], addOne: Bool) -> (value: Double, shares: [Double]) {
    guard !members.isEmpty else { return (0, []) }
    let exponents = members.map(values)
    var largest = exponents.max() ?? 0
    if addOne { largest = max(largest, 0) }
    var sum = addOne ? Foundation.exp(-largest) : 0
    let scaled = exponents.map { Foundation.exp($0 - largest) }
    for e in scaled { sum += e }
    return (largest + Foundation.log(sum), scaled.map { $0 / sum })
}

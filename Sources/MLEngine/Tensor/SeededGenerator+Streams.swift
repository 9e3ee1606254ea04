extension SeededGenerator {
    /// An independent generator for `key` (an epoch, a sample's position in an epoch, a purpose tag).
    ///
    /// Its seed is the draw at position `key` of a stream keyed by this generator's seed (xor a constant, so
    /// it differs from this stream's own draws). Chaining keys — `substream(epoch).substream(position)` —
    /// gives every sample its own stream, whatever order or thread it is computed in.
    public func substream(_ key: UInt64) -> SeededGenerator {
        var keyed = SeededGenerator(seed: seed ^ 0xD1B5_4A32_D192_ED03, position: key)
        return SeededGenerator(seed: keyed.next())
    }

    /// An integer uniform in 0..<`bound` (⌊u · bound⌋ of a 53-bit uniform u: reproducible in Python).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "nextIndex(below:) needs a positive bound, got \(bound)")
        return min(Int(nextUnit() * Double(bound)), bound - 1)
    }

    /// Shuffles `elements` in place (Fisher–Yates from the last element down, j = nextIndex(below: i + 1)).
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextIndex(below: i + 1))
        }
    }

    /// `count` elements of `elements` drawn without replacement (a partial Fisher–Yates), or with
    /// replacement when there are fewer than `count` (PML's `safe_random_choice`).
    public mutating func choose<T>(_ count: Int, from elements: [T]) -> [T] {
        guard elements.count >= count else { return (0..<count).map { _ in elements[nextIndex(below: elements.count)] } }
        var pool = elements
        for i in 0..<count { pool.swapAt(i, i + nextIndex(below: pool.count - i)) }
        return Array(pool.prefix(count))
    }
}

/// The seeded generator shared with the Python reference scripts (`tools/reference/seeded.py`).
///
/// SplitMix64: the i-th draw (from 1) is `mix(seed &+ i &* 0x9E3779B97F4A7C15)`, so Python computes any
/// stretch of the stream with vectorised uint64 arithmetic. Uniform floats are the top 53 bits scaled to
/// [0, 1) (then mapped to [-1, 1) by `nextSigned`); fixtures fill tensors in order from one generator.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// Draws taken so far.
    public private(set) var position: UInt64 = 0
    /// The seed.
    public let seed: UInt64

    /// A generator at the start of `seed`'s stream.
    public init(seed: UInt64) { self.seed = seed }

    /// A generator resumed at `position` draws into `seed`'s stream.
    public init(seed: UInt64, position: UInt64) {
        self.seed = seed
        self.position = position
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        position &+= 1
        var z = seed &+ position &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform double in [-1, 1).
    public mutating func nextSigned() -> Double { 2 * nextUnit() - 1 }

    /// `count` values uniform in [-scale, scale), as Float32 (rounded from the double draw).
    public mutating func uniform(count: Int, scale: Double = 1) -> [Float] {
        (0..<count).map { _ in Float(nextSigned() * scale) }
    }

    /// `count` values uniform in [-scale, scale) as float64 (for float64 references in Swift tests).
    public mutating func uniformDoubles(count: Int, scale: Double = 1) -> [Double] {
        (0..<count).map { _ in nextSigned() * scale }
    }

    /// A plain tensor of `shape` uniform in [-scale, scale).
    public mutating func tensor(_ shape: [Int], scale: Double = 1) -> Tensor {
        Tensor(shape: shape, values: uniform(count: shape.reduce(1, *), scale: scale))
    }
}

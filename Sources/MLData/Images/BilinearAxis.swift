/// The taps of PIL's antialiased BILINEAR filter along one axis (Resample.c's `precompute_coeffs` and
/// `normalize_coeffs_8bpc`), for resizing `inputSize` samples to `outputSize`.
///
/// Output sample `o` centres at `(o + 0.5) · scale` in the input, with scale = input / output; the
/// triangle filter is stretched by max(scale, 1) (the antialiasing), its support rounded to whole
/// samples and clipped to the input, the weights normalised to sum 1 and stored as 22-bit fixed point,
/// all in the same double arithmetic as PIL so the integer weights are identical.
struct BilinearAxis {
    /// Fixed-point fraction bits of the weights (PIL's PRECISION_BITS: 32 − 8 − 2).
    static let precisionBits: Int32 = 22

    /// First input sample of each output sample.
    let first: [Int]
    /// Number of input samples (taps) of each output sample.
    let count: [Int]
    /// Weights, `stride` per output sample (the first `count[o]` used).
    let weights: [Int32]
    /// Maximum taps per output sample.
    let stride: Int

    init(inputSize: Int, outputSize: Int) {
        precondition(inputSize > 0 && outputSize > 0, "resizing \(inputSize) samples to \(outputSize)")
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filterScale  // the triangle's support (1) stretched
        stride = Int(support.rounded(.up)) * 2 + 1
        var first = [Int](repeating: 0, count: outputSize)
        var count = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * stride)
        var taps = [Double](repeating: 0, count: stride)
        let inverseScale = 1.0 / filterScale
        for o in 0..<outputSize {
            let center = (Double(o) + 0.5) * scale
            let lower = max(Int(center - support + 0.5), 0)  // C's (int) truncates toward zero, as Int() does
            let upper = min(Int(center + support + 0.5), inputSize)
            var total = 0.0
            for i in 0..<(upper - lower) {
                let distance = abs((Double(i + lower) - center + 0.5) * inverseScale)
                taps[i] = distance < 1 ? 1 - distance : 0
                total += taps[i]
            }
            for i in 0..<(upper - lower) {
                let weight = total != 0 ? taps[i] / total : taps[i]
                weights[o * stride + i] = Int32(0.5 + weight * Double(1 << Self.precisionBits))
            }
            first[o] = lower
            count[o] = upper - lower
        }
        self.first = first
        self.count = count
        self.weights = weights
    }

    /// The input range this axis reads: from the first tap of the first output to the last of the last.
    var inputRange: Range<Int> { first[0]..<(first[first.count - 1] + count[count.count - 1]) }
}

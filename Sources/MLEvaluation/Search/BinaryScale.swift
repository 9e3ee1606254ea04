import MLEngine

/// Exact rescaling by powers of two, so that embeddings of any magnitude are searched and clustered in
/// float32's comfortable range: multiplying by 2^k changes no significand bit (outside subnormals), so
/// rankings, ties and assignments are those of the unscaled values, and sums of squares can neither
/// overflow (1e30 · 1e30) nor vanish (1e-30 · 1e-30). Results are scaled back at the end, where a value
/// too large for float32 becomes ±infinity, as an exact float32 computation would give.
enum BinaryScale {
    /// The exponent e with 2^e ≤ max |v| < 2^(e+1) over `values`, or nil when every value is zero.
    static func exponent(of values: UnsafeBufferPointer<Float>) -> Int? {
        let largest = values.reduce(Float(0)) { max($0, abs($1)) }
        return largest == 0 ? nil : Int(largest.exponent)
    }

    /// The exponent of the largest magnitude in `tensor` (plain), or nil when every value is zero.
    static func exponent(of tensor: Tensor) -> Int? {
        tensor.withUnsafeStorage { exponent(of: $0) }
    }

    /// Multiplies every value by 2^k.
    static func scale(_ values: UnsafeMutableBufferPointer<Float>, by k: Int) {
        guard k != 0 else { return }
        // 2^k as a float is normal for -126...127; larger shifts go in two steps.
        let steps = k > 127 || k < -126 ? [k / 2, k - k / 2] : [k]
        for step in steps {
            let factor = Float(sign: .plus, exponent: step, significand: 1)
            for i in values.indices { values[i] *= factor }
        }
    }

    /// `value` × 2^k (±infinity past float32's range).
    static func scaled(_ value: Float, by k: Int) -> Float {
        Float(sign: .plus, exponent: k, significand: value)
    }
}

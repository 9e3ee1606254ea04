import CImageKernels

/// A `BilinearAxis` with 32-bit tables, as the C resampling loops take them.
struct KernelAxis {
    let first: [Int32]
    let count: [Int32]
    let weights: [Int32]
    let stride: Int
    /// The input samples read (first tap of the first output to the last tap of the last).
    let inputRange: Range<Int>

    init(inputSize: Int, outputSize: Int) {
        let axis = BilinearAxis(inputSize: inputSize, outputSize: outputSize)
        first = axis.first.map { Int32($0) }
        count = axis.count.map { Int32($0) }
        weights = axis.weights
        stride = axis.stride
        inputRange = axis.inputRange
    }

    /// Input samples read by outputs `outputs` (first taps never decrease, nor do last taps).
    func inputs(of outputs: Range<Int>) -> Range<Int> {
        Int(first[outputs.lowerBound])..<Int(first[outputs.upperBound - 1] + count[outputs.upperBound - 1])
    }

    /// Calls `body` with the C view of the tables.
    func withAxis<R>(_ body: (dml_axis) -> R) -> R {
        first.withUnsafeBufferPointer { f in
            count.withUnsafeBufferPointer { c in
                weights.withUnsafeBufferPointer { w in
                    body(dml_axis(first: f.baseAddress, count: c.baseAddress, weights: w.baseAddress,
                                  stride: Int32(stride)))
                }
            }
        }
    }
}

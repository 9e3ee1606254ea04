@testable import MLEngine
import TestSupport
import Testing

/// The element-wise kernels on bfloat16 tensors.
@Suite(.enabled(if: BFloat16Errors.canRun, BFloat16Errors.skipReason))
struct BFloat16ElementwiseTests {
    @Test func addThenReLUEqualsTheTwoOperations() {
        ElementwiseTests.expectAddThenReLUEqualsTheTwoOperations(.bfloat16)
    }

    /// Float32 → bfloat16 rounds to nearest even (the upper 16 bits, plus one unit when the lower half is
    /// above 0x8000 or equal to it with an odd upper half), and bfloat16 → Float32 is exact.
    @Test func conversionRoundsToNearestEven() {
        let bits: [UInt32] = [0x3F80_0000, 0x3F80_8000, 0x3F81_8000, 0x3F80_8001, 0x3F80_7FFF, 0xBF80_C000, 0x7F7F_FFFF]
        let x = Tensor(shape: [bits.count], values: bits.map(Float.init(bitPattern:)))
        let rounded = x.converted(to: .bfloat16)
        #expect(rounded.dataType == .bfloat16 && rounded.layout.byteCount == 2 * bits.count)
        let expected: [UInt32] = [0x3F80_0000, 0x3F80_0000, 0x3F82_0000, 0x3F81_0000, 0x3F80_0000, 0xBF81_0000, 0x7F80_0000]
        #expect(rounded.scalars.map(\.bitPattern) == expected)
        #expect(rounded.converted(to: .float32).dataType == .float32)
    }
}

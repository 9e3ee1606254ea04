import CDNNL
@testable import MLEngine
import TestSupport
import Testing

@Suite struct ElementwiseTests {
    @Test func addSumsInTheFirstOperandsLayout() {
        var generator = SeededGenerator(seed: 41)
        let a = generator.tensor([4, 5, 3, 3]), b = generator.tensor([4, 5, 3, 3])
        let blocked = MemoryDescriptor(shape: a.shape, tag: dnnl_nChw16c)
        let expected = zip(a.scalars, b.scalars).map { $0 + $1 }
        let plainSum = Elementwise.add(a, b)
        #expect(plainSum.isPlain)
        #expect(plainSum.scalars == expected)
        let blockedSum = Elementwise.add(a.reordered(to: blocked), b)
        #expect(blockedSum.layout == blocked)
        #expect(blockedSum.scalars == expected)
    }

    /// The fused add-then-ReLU (the residual block's training forward) equals the add followed by the ReLU,
    /// bit for bit, in Float32 and in bfloat16 (rounding keeps signs, so the order does not matter).
    @Test func addThenReLUEqualsTheTwoOperations() {
        Self.expectAddThenReLUEqualsTheTwoOperations(.float32)
    }

    static func expectAddThenReLUEqualsTheTwoOperations(_ type: DataType) {
        var generator = SeededGenerator(seed: 42)
        let layout = MemoryDescriptor(shape: [4, 20, 5, 5], tag: dnnl_nChw16c, dataType: type)
        let a = generator.tensor(layout.shape).reordered(to: layout), b = generator.tensor(layout.shape)
        let fused = Elementwise.add(a, b, relu: true)
        #expect(fused.layout == layout)
        #expect(fused.scalars == Elementwise.relu(Elementwise.add(a, b)).scalars)
    }

    @Test func accumulateAddsToTheGradientOnly() {
        let parameter = Parameter(Tensor(shape: [2, 2], values: [1, 2, 3, 4]))
        Elementwise.accumulate(Tensor(shape: [2, 2], values: [1, 1, 1, 1]), into: parameter)
        Elementwise.accumulate(Tensor(shape: [2, 2], values: [0, 1, 2, 3]), into: parameter)
        #expect(parameter.gradient?.scalars == [1, 2, 3, 4])
        #expect(parameter.value.scalars == [1, 2, 3, 4])
        let buffer = Parameter(buffer: Tensor(shape: [2]))
        Elementwise.accumulate(Tensor(shape: [2], values: [1, 1]), into: buffer)
        #expect(buffer.gradient == nil)
    }
}

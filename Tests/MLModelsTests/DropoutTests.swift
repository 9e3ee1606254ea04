@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct DropoutTests {
    @Test func trainingDropsAndScalesAndBackwardUsesTheSameMask() throws {
        let dropout = Dropout(probability: 0.25, seed: 5)
        let x = Tensor(shape: [50, 40], repeating: 2)
        let y = try dropout.forward(x, training: true).scalars
        // Recompute the mask from the documented rule: draw < p drops, the rest scale by 1 / (1 − p).
        var generator = SeededGenerator(seed: 5)
        let expected: [Float] = (0..<2000).map { _ in generator.nextUnit() < 0.25 ? 0 : 2 / 0.75 }
        #expect(y == expected)
        let kept = y.filter { $0 != 0 }.count
        #expect(abs(Double(kept) / 2000 - 0.75) < 0.05, "kept \(kept) of 2000")
        let dx = try #require(dropout.backward(Tensor(shape: [50, 40], repeating: 1), needsInputGradient: true)).scalars
        #expect(dx == expected.map { $0 / 2 })
        #expect(dropout.generatorPosition == 2000)
    }

    @Test func inferencePassesThroughAndPositionResumes() throws {
        let dropout = Dropout(probability: 0.5, seed: 9)
        let x = Tensor(shape: [3, 4], values: (0..<12).map(Float.init))
        #expect(try dropout.forward(x, training: false).scalars == x.scalars)
        _ = try dropout.forward(x, training: true)
        let second = try dropout.forward(x, training: true).scalars
        let resumed = Dropout(probability: 0.5, seed: 9)
        resumed.generatorPosition = 12
        #expect(try resumed.forward(x, training: true).scalars == second)
    }

    @Test func fixedMaskIsScaled() throws {
        let dropout = Dropout(probability: 0.5, seed: 1)
        dropout.fixedMask = [1, 0, 1, 0]
        #expect(try dropout.forward(Tensor(shape: [2, 2], repeating: 1), training: true).scalars == [2, 0, 2, 0])
    }
}

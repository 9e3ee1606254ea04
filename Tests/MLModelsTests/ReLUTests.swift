import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct ReLUTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_relu.json") }

    @Test(arguments: ["odd", "wide"]) func matchesPyTorch(_ name: String) throws {
        var generator = SeededGenerator(seed: UInt64(LayerChecks.parameter(fixture, name, "seed")))
        let x = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        let dy = LayerChecks.draw(&generator, x.shape, scale: 1)
        let relu = ReLU()
        LayerChecks.expectMatch(try relu.forward(x, training: true), fixture, "\(name).y", floor: LayerChecks.outputFloor)
        let dx = try #require(relu.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor)
    }

    @Test func backwardMatchesFiniteDifferencesAwayFromZero() throws {
        var generator = SeededGenerator(seed: 31)
        // |x| ≥ 0.1 while the finite-difference step moves x by at most ~0.011: no kink crossed.
        let x = Tensor(shape: [4, 5, 3, 3], values: generator.uniform(count: 180).map { $0 + ($0 < 0 ? -0.1 : 0.1) })
        try LayerChecks.expectFiniteDifferences(ReLU(), input: x, seed: 32)
    }

    @Test func keepsTheInputLayout() throws {
        var generator = SeededGenerator(seed: 33)
        let layout = MemoryDescriptor(shape: [4, 5, 3, 3], tag: dnnl_nChw16c)
        let x = generator.tensor([4, 5, 3, 3])
        let relu = ReLU()
        let y = try relu.forward(x.reordered(to: layout), training: true)
        #expect(y.layout == layout)
        #expect(y.scalars == x.scalars.map { max($0, 0) })
        let dy = generator.tensor([4, 5, 3, 3])
        let dx = try #require(relu.backward(dy, needsInputGradient: true))
        #expect(dx.layout == layout)
        #expect(dx.scalars == zip(x.scalars, dy.scalars).map { $0 > 0 ? $1 : 0 })
    }
}

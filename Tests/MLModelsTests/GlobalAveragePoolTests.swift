import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct GlobalAveragePoolTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_pooling.json") }

    @Test(arguments: ["gap", "gap16"]) func matchesPyTorchInPlainAndBlockedLayouts(_ name: String) throws {
        let shape = try #require((fixture.meta["cases"] as? [String: [String: Any]])?[name]?["shape"] as? [Int], "\(name) has no shape")
        var generator = SeededGenerator(seed: UInt64(LayerChecks.parameter(fixture, name, "seed")))
        let x = LayerChecks.draw(&generator, shape, scale: 1)
        let dy = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        for input in [x, x.reordered(to: MemoryDescriptor(shape: shape, tag: dnnl_nChw16c))] {
            let pool = GlobalAveragePool()
            let y = try pool.forward(input, training: true)
            #expect(y.isPlain)
            LayerChecks.expectMatch(y, fixture, "\(name).y", floor: LayerChecks.outputFloor)
            let dx = try #require(pool.backward(dy, needsInputGradient: true))
            #expect(dx.layout == input.layout)
            LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor)
        }
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 54)
        try LayerChecks.expectFiniteDifferences(GlobalAveragePool(), input: generator.tensor([4, 6, 5, 3]), seed: 55)
    }

    @Test func wrongRankThrows() {
        LayerChecks.expectShapeError(layer: "GlobalAveragePool", expected: "[N, C, H, W]", actual: [4, 6]) {
            _ = try GlobalAveragePool().forward(Tensor(shape: [4, 6]), training: true)
        }
    }
}

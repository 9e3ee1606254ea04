import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct MaxPool2dTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_pooling.json") }

    @Test(arguments: ["max_k3s2p1", "max_k2s2", "max_k3s1p1"]) func matchesPyTorch(_ name: String) throws {
        let p = { (key: String) in LayerChecks.parameter(fixture, name, key) }
        let shape = try #require((fixture.meta["cases"] as? [String: [String: Any]])?[name]?["shape"] as? [Int], "\(name) has no shape")
        var generator = SeededGenerator(seed: UInt64(p("seed")))
        let x = LayerChecks.draw(&generator, shape, scale: 1)
        let dy = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        let pool = MaxPool2d(kernelSize: p("kernelSize"), stride: p("stride"), padding: p("padding"))
        // The inference forward (no workspace) first, then the training forward its backward needs.
        LayerChecks.expectMatch(try pool.forward(x, training: false), fixture, "\(name).y", floor: LayerChecks.outputFloor)
        LayerChecks.expectMatch(try pool.forward(x, training: true), fixture, "\(name).y", floor: LayerChecks.outputFloor)
        let dx = try #require(pool.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor)
    }

    /// Distinct values at least 2/48 apart, while the finite-difference step moves each by at most 0.01:
    /// no window changes its winner.
    @Test(arguments: [(3, 2, 1), (2, 2, 0), (3, 1, 1)])
    func backwardMatchesFiniteDifferencesWithoutTies(_ window: (Int, Int, Int)) throws {
        var generator = SeededGenerator(seed: 51)
        let count = 48
        let values = (0..<count).map { Float($0) * 2 / Float(count) - 1 }.shuffled(using: &generator)
        let x = Tensor(shape: [4, 1, 4, 3], values: values)
        try LayerChecks.expectFiniteDifferences(MaxPool2d(kernelSize: window.0, stride: window.1, padding: window.2),
                                                input: x, seed: 52)
    }

    @Test func blockedInputGivesTheSameResultInItsLayout() throws {
        var generator = SeededGenerator(seed: 53)
        let x = generator.tensor([4, 5, 9, 9]), dy = generator.tensor([4, 5, 5, 5])
        let layout = MemoryDescriptor(shape: x.shape, tag: dnnl_nChw16c)
        let plainPool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
        let blockedPool = MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
        let yPlain = try plainPool.forward(x, training: true)
        let yBlocked = try blockedPool.forward(x.reordered(to: layout), training: true)
        #expect(yBlocked.layout == MemoryDescriptor(shape: [4, 5, 5, 5], tag: dnnl_nChw16c))
        #expect(yBlocked.scalars == yPlain.scalars)
        let dxBlocked = try #require(blockedPool.backward(dy, needsInputGradient: true))
        #expect(dxBlocked.layout == layout)
        #expect(dxBlocked.scalars == (try #require(plainPool.backward(dy, needsInputGradient: true))).scalars)
    }

    @Test func tooSmallOrWrongRankInputThrows() {
        let pool = MaxPool2d(kernelSize: 3, stride: 2)
        LayerChecks.expectShapeError(layer: "MaxPool2d(3×3, stride 2)", expected: "[N, C, H, W]", actual: [4, 5, 2, 2]) {
            _ = try pool.forward(Tensor(shape: [4, 5, 2, 2]), training: true)
        }
        LayerChecks.expectShapeError(layer: "MaxPool2d(3×3, stride 2)", expected: "[N, C, H, W]", actual: [4, 5]) {
            _ = try pool.forward(Tensor(shape: [4, 5]), training: true)
        }
    }
}

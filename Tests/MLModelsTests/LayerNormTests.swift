@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct LayerNormTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_layernorm.json") }

    func setUp(_ name: String) -> (layer: LayerNorm, x: Tensor, dy: Tensor) {
        let shape = fixture["\(name).y"].shape
        let layer = LayerNorm(features: shape[1], affine: fixture.tensors["\(name).dweight"] != nil)
        var generator = SeededGenerator(seed: UInt64(LayerChecks.parameter(fixture, name, "seed")))
        let x = LayerChecks.draw(&generator, shape, scale: 2, offset: 0.5)
        layer.weight?.value = LayerChecks.draw(&generator, [shape[1]], scale: 0.5, offset: 1)
        layer.bias?.value = LayerChecks.draw(&generator, [shape[1]], scale: 0.5)
        return (layer, x, LayerChecks.draw(&generator, shape, scale: 1))
    }

    @Test(arguments: ["affine", "plain", "wide"]) func matchesPyTorch(_ name: String) throws {
        let (layer, x, dy) = setUp(name)
        LayerChecks.expectMatch(try layer.forward(x, training: true), fixture, "\(name).y", floor: LayerChecks.outputFloor)
        let dx = try #require(layer.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor)
        if let weight = layer.weight, let bias = layer.bias {
            LayerChecks.expectMatch(try #require(weight.gradient), fixture, "\(name).dweight", floor: LayerChecks.gradientFloor)
            LayerChecks.expectMatch(try #require(bias.gradient), fixture, "\(name).dbias", floor: LayerChecks.gradientFloor)
        }
    }

    @Test(arguments: ["affine", "plain"]) func backwardMatchesFiniteDifferences(_ name: String) throws {
        let (layer, x, _) = setUp(name)
        try LayerChecks.expectFiniteDifferences(layer, input: x, seed: 23)
    }

    @Test func wrongFeatureCountThrowsNamingLayerAndShapes() {
        LayerChecks.expectShapeError(layer: "LayerNorm(10)", expected: "[N, 10]", actual: [4, 10, 1]) {
            _ = try LayerNorm(features: 10).forward(Tensor(shape: [4, 10, 1]), training: true)
        }
    }
}

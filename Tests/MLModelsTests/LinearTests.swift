@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct LinearTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_linear.json") }

    func setUp(_ name: String) -> (layer: Linear, x: Tensor, dy: Tensor) {
        let p = { (key: String) in LayerChecks.parameter(fixture, name, key) }
        let layer = Linear(inFeatures: p("inFeatures"), outFeatures: p("outFeatures"),
                           bias: fixture.tensors["\(name).dbias"] != nil)
        var generator = SeededGenerator(seed: UInt64(p("seed")))
        let x = LayerChecks.draw(&generator, [p("batch"), p("inFeatures")], scale: 1)
        layer.weight.value = LayerChecks.draw(&generator, [p("outFeatures"), p("inFeatures")],
                                              scale: 1 / Double(p("inFeatures")).squareRoot())
        layer.bias?.value = LayerChecks.draw(&generator, [p("outFeatures")], scale: 0.1)
        return (layer, x, LayerChecks.draw(&generator, [p("batch"), p("outFeatures")], scale: 1))
    }

    @Test(arguments: ["bias", "nobias", "wide"]) func matchesPyTorch(_ name: String) throws {
        let (layer, x, dy) = setUp(name)
        LayerChecks.expectMatch(try layer.forward(x, training: true), fixture, "\(name).y", floor: LayerChecks.outputFloor)
        let dx = try #require(layer.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor)
        LayerChecks.expectMatch(try #require(layer.weight.gradient), fixture, "\(name).dweight", floor: LayerChecks.gradientFloor)
        if let bias = layer.bias {
            LayerChecks.expectMatch(try #require(bias.gradient), fixture, "\(name).dbias", floor: LayerChecks.gradientFloor)
        }
    }

    @Test(arguments: ["bias", "nobias"]) func backwardMatchesFiniteDifferences(_ name: String) throws {
        let (layer, x, _) = setUp(name)
        try LayerChecks.expectFiniteDifferences(layer, input: x, seed: 61)
    }

    @Test func wrongFeatureCountThrowsNamingLayerAndShapes() {
        LayerChecks.expectShapeError(layer: "Linear(7→4)", expected: "[N, 7]", actual: [5, 6]) {
            _ = try Linear(inFeatures: 7, outFeatures: 4).forward(Tensor(shape: [5, 6]), training: true)
        }
    }
}

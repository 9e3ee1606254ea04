import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct BatchNorm2dTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_batchnorm.json") }

    func setUp(_ name: String) -> (layer: BatchNorm2d, item: LayerChecks.BatchNormCase) {
        let channels = fixture["\(name).running_mean"].shape[0]
        let layer = BatchNorm2d(features: channels)
        return (layer, LayerChecks.batchNormCase(fixture, name, layer: layer))
    }

    @Test(arguments: ["bn2d_train", "bn2d_frozen", "bn2d_eval", "bn2d_train16"])
    func matchesPyTorch(_ name: String) throws {
        let (layer, item) = setUp(name)
        try LayerChecks.expectBatchNormMatches(layer, item, fixture, name)
    }

    @Test(arguments: ["bn2d_train", "bn2d_frozen"])
    func backwardMatchesFiniteDifferences(_ name: String) throws {
        let (layer, item) = setUp(name)
        try LayerChecks.expectFiniteDifferences(layer, input: item.x, seed: 21)
    }

    @Test(arguments: ["bn2d_train", "bn2d_frozen", "bn2d_eval"])
    func blockedInputGivesTheSameResultInItsLayout(_ name: String) throws {
        let (plainLayer, item) = setUp(name)
        let (blockedLayer, _) = setUp(name)
        let layout = MemoryDescriptor(shape: item.x.shape, tag: dnnl_nChw16c)
        let yPlain = try plainLayer.forward(item.x, training: item.training)
        let yBlocked = try blockedLayer.forward(item.x.reordered(to: layout), training: item.training)
        #expect(yPlain.isPlain)
        #expect(yBlocked.layout == layout)
        #expect(relativeError(yBlocked.scalars, yPlain.scalars.map(Double.init)) < 1e-6)
        guard item.training else { return }  // an inference forward keeps nothing for backward
        let dxPlain = try #require(plainLayer.backward(item.dy, needsInputGradient: true))
        let dxBlocked = try #require(blockedLayer.backward(item.dy, needsInputGradient: true))
        #expect(dxBlocked.layout == layout)
        #expect(relativeError(dxBlocked.scalars, dxPlain.scalars.map(Double.init)) < 1e-6)
        let gPlain = try #require(plainLayer.weight.gradient).scalars.map(Double.init)
        #expect(relativeError(try #require(blockedLayer.weight.gradient).scalars, gPlain) < 1e-6)
    }

    @Test func namesFollowPyTorch() {
        #expect(BatchNorm2d(features: 3).namedParameters.map(\.name) == ["weight", "bias", "running_mean", "running_var"])
        #expect(BatchNorm2d(features: 3).trainableParameters.map(\.name) == ["weight", "bias"])
    }

    @Test func wrongChannelCountThrowsNamingLayerAndShapes() {
        let layer = BatchNorm2d(features: 8)
        LayerChecks.expectShapeError(layer: "BatchNorm2d(8)", expected: "[N, 8, H, W]", actual: [4, 6, 5, 5]) {
            _ = try layer.forward(Tensor(shape: [4, 6, 5, 5]), training: true)
        }
    }

    @Test func trainingOnOneValuePerChannelThrows() {
        let layer = BatchNorm2d(features: 2)
        #expect(throws: LayerError.self) { _ = try layer.forward(Tensor(shape: [1, 2, 1, 1]), training: true) }
    }
}

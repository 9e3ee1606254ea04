@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct BatchNorm1dTests {
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_batchnorm.json") }

    func setUp(_ name: String) -> (layer: BatchNorm1d, item: LayerChecks.BatchNormCase) {
        let channels = fixture["\(name).running_mean"].shape[0]
        let affine = fixture.tensors["\(name).dweight"] != nil
        let layer = BatchNorm1d(features: channels, affine: affine)
        return (layer, LayerChecks.batchNormCase(fixture, name, layer: layer))
    }

    @Test(arguments: ["bn1d_train", "bn1d_frozen", "bn1d_eval", "bn1d_plain_train", "bn1d_plain_eval"])
    func matchesPyTorch(_ name: String) throws {
        let (layer, item) = setUp(name)
        try LayerChecks.expectBatchNormMatches(layer, item, fixture, name)
    }

    @Test(arguments: ["bn1d_train", "bn1d_frozen", "bn1d_plain_train"])
    func backwardMatchesFiniteDifferences(_ name: String) throws {
        let (layer, item) = setUp(name)
        try LayerChecks.expectFiniteDifferences(layer, input: item.x, seed: 22)
    }

    @Test func withoutAffineHasOnlyBuffers() {
        let layer = BatchNorm1d(features: 4, affine: false)
        #expect(layer.namedParameters.map(\.name) == ["running_mean", "running_var"])
        #expect(layer.trainableParameters.isEmpty)
    }

    @Test func wrongFeatureCountThrowsNamingLayerAndShapes() {
        let layer = BatchNorm1d(features: 6)
        LayerChecks.expectShapeError(layer: "BatchNorm1d(6)", expected: "[N, 6]", actual: [8, 5]) {
            _ = try layer.forward(Tensor(shape: [8, 5]), training: true)
        }
    }
}

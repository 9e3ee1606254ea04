import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct SequentialTests {
    /// conv → batch norm → ReLU → max pool → global pool → linear, with seeded weights; without ReLU and
    /// max pool when `smooth` (finite differences of the whole chain would cross their kinks).
    func makeNetwork(smooth: Bool = false) -> Sequential {
        var generator = SeededGenerator(seed: 71)
        let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1)
        conv.weight.value = generator.tensor(conv.weight.value.shape, scale: 0.2)
        let linear = Linear(inFeatures: 8, outFeatures: 5)
        linear.weight.value = generator.tensor([5, 8], scale: 0.3)
        let kinked: [(name: String, layer: any Layer)] =
            smooth ? [] : [("relu", ReLU()), ("pool", MaxPool2d(kernelSize: 3, stride: 2, padding: 1))]
        return Sequential([("conv1", conv), ("bn1", BatchNorm2d(features: 8))] + kinked + [
            ("features", Sequential([("gap", GlobalAveragePool())])), ("fc", linear),
        ])
    }

    @Test func namesParametersWithPrefixes() {
        #expect(makeNetwork().namedParameters.map(\.name) == [
            "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "fc.weight", "fc.bias",
        ])
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 72)
        try LayerChecks.expectFiniteDifferences(makeNetwork(smooth: true), input: generator.tensor([4, 3, 6, 6]), seed: 73)
    }

    @Test func backwardSkipsTheInputGradientWhenNotNeeded() throws {
        var generator = SeededGenerator(seed: 74)
        let network = makeNetwork()
        let y = try network.forward(generator.tensor([4, 3, 6, 6]), training: true)
        #expect(network.backward(generator.tensor(y.shape), needsInputGradient: false) == nil)
        #expect(network.namedParameters[0].parameter.gradient?.scalars.contains { $0 != 0 } == true)
    }

    @Test func shapeErrorsNameThePath() {
        LayerChecks.expectShapeError(layer: "conv1/Conv2d(3→8", expected: "[N, 3, H, W]", actual: [4, 1, 6, 6]) {
            _ = try makeNetwork().forward(Tensor(shape: [4, 1, 6, 6]), training: true)
        }
    }

    @Test(arguments: [false, true]) func batchNormThenReLURunFusedWithTheLayersResults(_ frozen: Bool) throws {
        try Self.expectFusedBatchNormReLUMatchesLayers(frozen: frozen, dataType: .float32)
    }

    /// A `Sequential` runs a batch norm and the ReLU after it as one primitive in training; its output, input
    /// gradient, γ/β gradients and running statistics equal the two layers' run one by one, bit for bit.
    static func expectFusedBatchNormReLUMatchesLayers(frozen: Bool, dataType: DataType) throws {
        var generator = SeededGenerator(seed: 74)
        let shape = [8, 32, 14, 14]
        let x = generator.tensor(shape, scale: 2)
            .reordered(to: MemoryDescriptor(shape: shape, tag: dnnl_nChw16c, dataType: dataType))
        let dy = generator.tensor(shape)
        func makeNorm() -> BatchNorm2d {
            var generator = SeededGenerator(seed: 75)
            let norm = BatchNorm2d(features: shape[1])
            norm.weight.value = generator.tensor([shape[1]])
            norm.bias.value = generator.tensor([shape[1]])
            norm.isFrozen = frozen
            return norm
        }
        let (fusedNorm, norm, relu) = (makeNorm(), makeNorm(), ReLU())
        let fused = Sequential([("bn", fusedNorm), ("relu", ReLU())])
        let y = try fused.forward(x, training: true)
        let dx = try #require(fused.backward(dy, needsInputGradient: true))
        let reference = try relu.forward(try norm.forward(x, training: true), training: true)
        let reluDx = try #require(relu.backward(dy, needsInputGradient: true))
        let referenceDx = try #require(norm.backward(reluDx, needsInputGradient: true))
        #expect(y.layout == reference.layout && y.scalars == reference.scalars)
        #expect(dx.layout == referenceDx.layout && dx.scalars == referenceDx.scalars)
        for (a, b) in zip(fusedNorm.namedParameters, norm.namedParameters) {
            #expect(a.parameter.value.scalars == b.parameter.value.scalars, "\(a.name)")
            #expect(a.parameter.gradient?.scalars == b.parameter.gradient?.scalars, "\(a.name) gradient")
        }
    }
}

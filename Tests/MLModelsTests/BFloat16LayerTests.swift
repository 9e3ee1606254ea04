import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

/// The layers on bfloat16 activations (what a `Precision.bf16` network runs) against the float64 fixtures of
/// `tools/reference/layers.py`, within 3 × PyTorch autocast's own error on the same case
/// (`tools/reference/bf16.py`): the input is the fixture's, converted to bfloat16 as the previous layer of a
/// bf16 network would hand it over; the output gradient arrives in Float32 and is converted by the layer.
@Suite(.enabled(if: BFloat16Errors.canRun, BFloat16Errors.skipReason))
struct BFloat16LayerTests {
    let bf16: BFloat16Errors

    init() throws { bf16 = try BFloat16Errors() }

    @Test(arguments: Conv2dTests.cases) func convolutionMatchesPyTorch(_ name: String) throws {
        let tests = try Conv2dTests()
        let (conv, x, dy) = tests.setUp(name)
        let y = try conv.forward(x.converted(to: .bfloat16), training: true)
        #expect(y.dataType == .bfloat16)
        LayerChecks.expectMatch(y, tests.fixture, "\(name).y", floor: LayerChecks.outputFloor, bf16: bf16)
        let dx = try #require(conv.backward(dy, needsInputGradient: true))
        #expect(dx.dataType == .bfloat16)
        LayerChecks.expectMatch(dx, tests.fixture, "\(name).dx", floor: LayerChecks.gradientFloor, bf16: bf16)
        // Weight and bias gradients come out of the backward-weights primitive in Float32.
        let dw = try #require(conv.weight.gradient)
        #expect(dw.dataType == .float32)
        LayerChecks.expectMatch(dw, tests.fixture, "\(name).dweight", floor: LayerChecks.gradientFloor, bf16: bf16)
        if let bias = conv.bias {
            LayerChecks.expectMatch(try #require(bias.gradient), tests.fixture, "\(name).dbias",
                                    floor: LayerChecks.gradientFloor, bf16: bf16)
        }
    }

    @Test(arguments: ["bn2d_train", "bn2d_frozen", "bn2d_eval", "bn2d_train16"])
    func batchNormMatchesPyTorch(_ name: String) throws {
        let tests = try BatchNorm2dTests()
        let (layer, item) = tests.setUp(name)
        try LayerChecks.expectBatchNormMatches(layer, item, tests.fixture, name, bf16: bf16)
    }

    @Test(arguments: ["odd", "wide"]) func reluMatchesPyTorch(_ name: String) throws {
        let fixture = try FixtureFile("layers_relu.json")
        var generator = SeededGenerator(seed: UInt64(LayerChecks.parameter(fixture, name, "seed")))
        let x = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        let dy = LayerChecks.draw(&generator, x.shape, scale: 1)
        let relu = ReLU()
        let y = try relu.forward(x.converted(to: .bfloat16), training: true)
        #expect(y.dataType == .bfloat16)
        LayerChecks.expectMatch(y, fixture, "\(name).y", floor: LayerChecks.outputFloor, bf16: bf16)
        let dx = try #require(relu.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor, bf16: bf16)
    }

    @Test(arguments: ["max_k3s2p1", "max_k2s2", "max_k3s1p1"]) func maxPoolingMatchesPyTorch(_ name: String) throws {
        let fixture = try FixtureFile("layers_pooling.json")
        let p = { (key: String) in LayerChecks.parameter(fixture, name, key) }
        let shape = (fixture.meta["cases"] as? [String: [String: Any]])?[name]?["shape"] as? [Int] ?? []
        var generator = SeededGenerator(seed: UInt64(p("seed")))
        let x = LayerChecks.draw(&generator, shape, scale: 1).converted(to: .bfloat16)
        let dy = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        let pool = MaxPool2d(kernelSize: p("kernelSize"), stride: p("stride"), padding: p("padding"))
        LayerChecks.expectMatch(try pool.forward(x, training: false), fixture, "\(name).y",
                                floor: LayerChecks.outputFloor, bf16: bf16)
        let y = try pool.forward(x, training: true)
        #expect(y.dataType == .bfloat16)
        LayerChecks.expectMatch(y, fixture, "\(name).y", floor: LayerChecks.outputFloor, bf16: bf16)
        let dx = try #require(pool.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor, bf16: bf16)
    }

    /// Global pooling is where a bf16 network returns to Float32: the mean of the bfloat16 input is taken
    /// in Float32 and handed on in Float32, and so is its gradient.
    @Test(arguments: ["gap", "gap16"]) func globalAveragePoolingMatchesPyTorchInFloat32(_ name: String) throws {
        let fixture = try FixtureFile("layers_pooling.json")
        let shape = (fixture.meta["cases"] as? [String: [String: Any]])?[name]?["shape"] as? [Int] ?? []
        var generator = SeededGenerator(seed: UInt64(LayerChecks.parameter(fixture, name, "seed")))
        let x = LayerChecks.draw(&generator, shape, scale: 1)
        let dy = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        let pool = GlobalAveragePool()
        let y = try pool.forward(x.reordered(to: MemoryDescriptor(shape: shape, tag: dnnl_nChw16c, dataType: .bfloat16)),
                                 training: true)
        #expect(y.isPlain)
        LayerChecks.expectMatch(y, fixture, "\(name).y", floor: LayerChecks.outputFloor, bf16: bf16)
        let dx = try #require(pool.backward(dy, needsInputGradient: true))
        #expect(dx.dataType == .float32)
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor, bf16: bf16)
    }

    @Test(arguments: [false, true]) func batchNormThenReLURunFusedWithTheLayersResults(_ frozen: Bool) throws {
        try SequentialTests.expectFusedBatchNormReLUMatchesLayers(frozen: frozen, dataType: .bfloat16)
    }

    /// The bf16 weight copies follow the Float32 parameter: recomputed after an update, whether the value is
    /// replaced or changed in place (the optimizer's path).
    @Test func weightUpdatesReachTheBFloat16Copy() throws {
        let (conv, x, _) = try Conv2dTests().setUp("wide3x3")
        let input = x.converted(to: .bfloat16)
        let before = try conv.forward(input, training: true).scalars
        conv.weight.value.withUnsafeMutableStorage { weights in
            for i in weights.indices { weights[i] *= -2 }
        }
        conv.weight.markUpdated()
        // Scaling by a power of two is exact in bfloat16, so the result is exactly −2 × before.
        #expect(try conv.forward(input, training: true).scalars == before.map { -2 * $0 })
    }
}

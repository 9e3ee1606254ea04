import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct Conv2dTests {
    static let cases = ["basic", "strided_bias", "dilated", "grouped", "pointwise", "stem", "pointwise_strided", "wide3x3"]
    let fixture: FixtureFile

    init() throws { fixture = try FixtureFile("layers_conv2d.json") }

    /// The fixture case's layer, input and output gradient, drawn as `tools/reference/layers.py` draws them.
    func setUp(_ name: String) -> (layer: Conv2d, x: Tensor, dy: Tensor) {
        let p = { (key: String) in LayerChecks.parameter(fixture, name, key) }
        guard let hasBias = (fixture.meta["cases"] as? [String: [String: Any]])?[name]?["bias"] as? Bool else {
            fatalError("fixture case \(name) has no bias flag")
        }
        let conv = Conv2d(inChannels: p("inChannels"), outChannels: p("outChannels"), kernelSize: p("kernelSize"),
                          stride: p("stride"), padding: p("padding"), dilation: p("dilation"), groups: p("groups"),
                          bias: hasBias)
        var generator = SeededGenerator(seed: UInt64(p("seed")))
        let x = LayerChecks.draw(&generator, [p("batch"), p("inChannels"), p("height"), p("width")], scale: 1)
        let fanIn = Double(conv.weight.value.count / p("outChannels"))
        conv.weight.value = LayerChecks.draw(&generator, conv.weight.value.shape, scale: 1 / fanIn.squareRoot())
        if let bias = conv.bias { bias.value = LayerChecks.draw(&generator, [p("outChannels")], scale: 0.1) }
        let dy = LayerChecks.draw(&generator, fixture["\(name).y"].shape, scale: 1)
        return (conv, x, dy)
    }

    @Test(arguments: cases) func matchesPyTorch(_ name: String) throws {
        let (conv, x, dy) = setUp(name)
        let y = try conv.forward(x, training: true)
        LayerChecks.expectMatch(y, fixture, "\(name).y", floor: LayerChecks.outputFloor)
        let dx = try #require(conv.backward(dy, needsInputGradient: true))
        LayerChecks.expectMatch(dx, fixture, "\(name).dx", floor: LayerChecks.gradientFloor)
        LayerChecks.expectMatch(try #require(conv.weight.gradient), fixture, "\(name).dweight", floor: LayerChecks.gradientFloor)
        if let bias = conv.bias {
            LayerChecks.expectMatch(try #require(bias.gradient), fixture, "\(name).dbias", floor: LayerChecks.gradientFloor)
        }
    }

    @Test(arguments: ["basic", "strided_bias", "dilated", "grouped", "stem"])
    func backwardMatchesFiniteDifferences(_ name: String) throws {
        let (conv, x, _) = setUp(name)
        try LayerChecks.expectFiniteDifferences(conv, input: x, seed: 11)
    }

    @Test func blockedAndPlainInputsGiveTheSameResult() throws {
        let (conv, x, dy) = setUp("wide3x3")
        let fromPlain = try conv.forward(x, training: true).scalars
        let dxPlain = try #require(conv.backward(dy, needsInputGradient: true)).scalars
        let blocked = x.reordered(to: MemoryDescriptor(shape: x.shape, tag: dnnl_nChw16c))
        let fromBlocked = try conv.forward(blocked, training: true).scalars
        let dxBlocked = try #require(conv.backward(dy.reordered(to: MemoryDescriptor(shape: dy.shape, tag: dnnl_nChw16c)),
                                                   needsInputGradient: true)).scalars
        #expect(fromPlain == fromBlocked)
        #expect(dxPlain == dxBlocked)
    }

    @Test func weightUpdatesReachTheCachedCopy() throws {
        let (conv, x, _) = setUp("basic")
        let before = try conv.forward(x, training: true).scalars
        conv.weight.value = Tensor(shape: conv.weight.value.shape, values: conv.weight.value.scalars.map { 2 * $0 })
        let after = try conv.forward(x, training: true).scalars
        #expect(relativeError(after, before.map { 2 * Double($0) }) < 1e-6)
        // The optimizer's path: an in-place update of the storage.
        conv.weight.value.withUnsafeMutableStorage { weights in
            for i in weights.indices { weights[i] *= -1 }
        }
        conv.weight.markUpdated()
        let negated = try conv.forward(x, training: true).scalars
        #expect(relativeError(negated, before.map { -2 * Double($0) }) < 1e-6)
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() throws {
        let (conv, x, dy) = setUp("strided_bias")
        _ = try conv.forward(x, training: true)
        _ = conv.backward(dy, needsInputGradient: false)
        let once = try #require(conv.weight.gradient).scalars
        _ = conv.backward(dy, needsInputGradient: false)
        let twice = try #require(conv.weight.gradient).scalars
        #expect(relativeError(twice, once.map { 2 * Double($0) }) < 1e-6)
    }

    @Test func skipsTheInputGradientWhenNotNeeded() throws {
        let (conv, x, dy) = setUp("stem")
        _ = try conv.forward(x, training: true)
        #expect(conv.backward(dy, needsInputGradient: false) == nil)
    }

    /// Winograd (picked by `convolution_auto` only for large enough problems) against the direct algorithm,
    /// which `matchesPyTorch` proves; looser tolerance, as Winograd's transforms round differently.
    @Test func winogradMatchesTheDirectAlgorithm() throws {
        let geometry = ConvolutionGeometry(batch: 32, inChannels: 64, outChannels: 64, height: 14, width: 14,
                                           kernelSize: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        var generator = SeededGenerator(seed: 5)
        let x = generator.tensor(geometry.inputShape)
        let dy = generator.tensor(geometry.outputShape)
        let weight = Parameter(generator.tensor(geometry.weightShape, scale: 1 / 24))
        var results: [[[Float]]] = []
        for winograd in [false, true] {
            let kernel = Convolution(geometry: geometry, hasBias: false, winograd: winograd)
            if winograd && dnnl_get_effective_cpu_isa().rawValue >= dnnl_cpu_isa_avx512_core.rawValue {
                #expect(kernel.forwardPrimitive.implementationName.contains("wino"),
                        "convolution_auto chose \(kernel.forwardPrimitive.implementationName)")
            }
            weight.zeroGradient()
            let cache = WeightCache()
            let (y, input) = kernel.forward(x, weight: weight, bias: nil, weights: cache)
            let dx = try #require(kernel.backward(dy, input: input, weight: weight, bias: nil, weights: cache,
                                                  needsInputGradient: true))
            results.append([y.scalars, dx.scalars, try #require(weight.gradient).scalars])
        }
        for (index, name) in ["y", "dx", "dweight"].enumerated() {
            let direct = results[0][index].map(Double.init)
            let error = relativeError(results[1][index], direct)
            #expect(error < 1e-4, "Winograd \(name): relative error \(error); \(worstMismatch(results[1][index], direct))")
        }
    }

    @Test func wrongChannelCountThrowsNamingLayerAndShapes() {
        let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1)
        LayerChecks.expectShapeError(layer: "Conv2d(3→8", expected: "[N, 3, H, W]", actual: [4, 5, 8, 8]) {
            _ = try conv.forward(Tensor(shape: [4, 5, 8, 8]), training: true)
        }
        LayerChecks.expectShapeError(layer: "Conv2d(3→8", expected: "[N, 3, H, W]", actual: [4, 3, 8]) {
            _ = try conv.forward(Tensor(shape: [4, 3, 8]), training: true)
        }
    }
}

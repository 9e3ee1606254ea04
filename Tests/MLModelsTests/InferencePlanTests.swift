import CDNNL
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

/// The fused inference forward (batch norm folded into the convolution, ReLU and residual addition as
/// post-ops) against the same layers run one by one in inference mode, which the layer and ResNet fixtures
/// prove against PyTorch.
@Suite struct InferencePlanTests {
    /// A convolution with non-trivial batch-norm parameters and running statistics after it.
    func makeConvolution(_ generator: inout SeededGenerator, in inChannels: Int = 8, out outChannels: Int = 16,
                         kernelSize: Int = 3, stride: Int = 1, groups: Int = 1, bias: Bool = false)
        -> (conv: Conv2d, norm: BatchNorm2d)
    {
        let conv = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                          padding: kernelSize / 2, groups: groups, bias: bias)
        let fanIn = Double(inChannels / groups * kernelSize * kernelSize)
        conv.weight.value = generator.tensor(conv.weight.value.shape, scale: (3 / fanIn).squareRoot())
        if let convBias = conv.bias { convBias.value = generator.tensor([outChannels], scale: 0.2) }
        let norm = BatchNorm2d(features: outChannels)
        randomizeStatistics(norm, &generator)
        return (conv, norm)
    }

    /// γ in 1 ± 0.3, β in ±0.2, running mean in ±0.3, running variance in 1 ± 0.5.
    func randomizeStatistics(_ norm: BatchNorm2d, _ generator: inout SeededGenerator) {
        let shape = norm.weight.value.shape
        norm.weight.value = LayerChecks.draw(&generator, shape, scale: 0.3, offset: 1)
        norm.bias.value = generator.tensor(shape, scale: 0.2)
        norm.runningMean.value = generator.tensor(shape, scale: 0.3)
        norm.runningVar.value = LayerChecks.draw(&generator, shape, scale: 0.5, offset: 1)
    }

    /// `layers` run one at a time in inference mode (no fusion), then + residual and ReLU if given.
    func unfused(_ layers: [any Layer], _ x: Tensor, residual: Tensor? = nil) throws -> Tensor {
        var y = x
        for layer in layers { y = try layer.forward(y, training: false) }
        guard let residual else { return y }
        return Elementwise.relu(Elementwise.add(y, residual))
    }

    func expectSame(_ fused: Tensor, _ reference: Tensor, _ what: String, tolerance: Double = 1e-5,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fused.shape == reference.shape, "\(what): shape \(fused.shape), unfused \(reference.shape)",
                sourceLocation: sourceLocation)
        guard fused.shape == reference.shape else { return }
        let expected = reference.scalars.map(Double.init)
        let error = relativeError(fused.scalars, expected)
        #expect(error <= tolerance, "\(what): relative error \(error); \(worstMismatch(fused.scalars, expected))",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: [(3, 1, 1, false), (3, 2, 1, true), (1, 1, 1, false), (1, 2, 1, true), (3, 1, 4, false)])
    func convolutionBatchNormReLUMatchesTheLayersOneByOne(
        _ kernelSize: Int, _ stride: Int, _ groups: Int, _ bias: Bool
    ) throws {
        var generator = SeededGenerator(seed: 301)
        let (conv, norm) = makeConvolution(&generator, kernelSize: kernelSize, stride: stride, groups: groups, bias: bias)
        let relu = ReLU()
        let x = generator.tensor([4, 8, 10, 10])
        for layers in [[conv, norm, relu], [conv, norm], [conv, relu]] as [[any Layer]] {
            let network = Sequential(layers.enumerated().map { (name: String($0.offset), layer: $0.element) })
            expectSame(try network.forward(x, training: false), try unfused(layers, x), "\(layers.map { type(of: $0) })")
        }
    }

    /// The fused kernel with `convolution_auto` (Winograd) against the direct algorithm, on the engine level
    /// (the `Engine.useWinograd` switch is process-wide and tests run in parallel).
    @Test func winogradFusedMatchesTheDirectAlgorithm() throws {
        let geometry = ConvolutionGeometry(batch: 32, inChannels: 64, outChannels: 64, height: 14, width: 14,
                                           kernelSize: 3, stride: 1, padding: 1, dilation: 1, groups: 1)
        var generator = SeededGenerator(seed: 302)
        let x = generator.tensor(geometry.inputShape)
        let residual = generator.tensor(geometry.outputShape)
        let weight = Parameter(generator.tensor(geometry.weightShape, scale: 1 / 24))
        let bias = generator.tensor([64], scale: 0.2)
        var results: [[Float]] = []
        for winograd in [false, true] {
            let kernel = Convolution(geometry: geometry, hasBias: true, winograd: winograd)
            if winograd && dnnl_get_effective_cpu_isa().rawValue >= dnnl_cpu_isa_avx512_core.rawValue {
                let name = kernel.inferencePrimitive([.sum, .relu]).implementationName
                #expect(name.contains("wino"), "convolution_auto with post-ops chose \(name)")
            }
            let y = kernel.inferenceForward(x, sources: [weight], weight: { weight.value }, bias: { bias },
                                            weights: WeightCache(), adding: residual, relu: true)
            results.append(y.scalars)
        }
        let direct = results[0].map(Double.init)
        let error = relativeError(results[1], direct)
        #expect(error < 1e-4, "Winograd fused: relative error \(error); \(worstMismatch(results[1], direct))")
    }

    @Test func inferenceLeavesTheStateDictUnchanged() throws {
        var generator = SeededGenerator(seed: 303)
        let (conv, norm) = makeConvolution(&generator, bias: true)
        let network = Sequential([("conv", conv), ("bn", norm), ("relu", ReLU())])
        let before = network.namedParameters.map { ($0.parameter.version, $0.parameter.value.scalars) }
        _ = try network.forward(generator.tensor([2, 8, 6, 6]), training: false)
        let after = network.namedParameters.map { ($0.parameter.version, $0.parameter.value.scalars) }
        #expect(before.map(\.0) == after.map(\.0))
        #expect(before.map(\.1) == after.map(\.1))
    }

    /// Each change below must reach the cached folded weights: a stale cache would give the first output.
    @Test func foldedWeightsFollowEveryChange() throws {
        var generator = SeededGenerator(seed: 304)
        let (conv, norm) = makeConvolution(&generator, bias: true)
        let relu = ReLU()
        let network = Sequential([("conv", conv), ("bn", norm), ("relu", relu)])
        let x = generator.tensor([4, 8, 6, 6])
        let optimizer = try SGD(groups: [.init(parameters: network.trainableParameters, weightDecay: 5e-4)],
                                learningRate: 0.5, momentum: 0.9)
        let changes: [(String, () throws -> Void)] = [
            ("new running statistics", { randomizeStatistics(norm, &generator) }),
            ("an SGD step", {
                norm.isFrozen = true
                optimizer.zeroGradients()
                let y = try network.forward(x, training: true)
                _ = network.backward(generator.tensor(y.shape), needsInputGradient: false)
                optimizer.step()
                norm.isFrozen = false
            }),
            ("a training forward updating the running statistics", { _ = try network.forward(x, training: true) }),
            ("a loaded convolution weight", { conv.weight.value = generator.tensor(conv.weight.value.shape, scale: 0.3) }),
        ]
        var previous = try network.forward(x, training: false)
        expectSame(previous, try unfused([conv, norm, relu], x), "initial")
        for (change, apply) in changes {
            try apply()
            let fused = try network.forward(x, training: false)
            #expect(fused.scalars != previous.scalars, "\(change): output did not change")
            expectSame(fused, try unfused([conv, norm, relu], x), "after \(change)")
            previous = fused
        }
    }

    @Test func residualAdditionAndReLUFuseIntoTheLastConvolution() throws {
        var generator = SeededGenerator(seed: 305)
        let (conv1, norm1) = makeConvolution(&generator)
        let (conv2, norm2) = makeConvolution(&generator, in: 16, out: 16, kernelSize: 1)
        let layers: [any Layer] = [conv1, norm1, ReLU(), conv2, norm2]
        let body = Sequential(layers.enumerated().map { (name: String($0.offset), layer: $0.element) })
        let x = generator.tensor([4, 8, 6, 6])
        let blocked = try unfused([conv1], x)
        // The residual in the convolutions' blocked layout and in the plain one.
        for residual in [blocked, generator.tensor(blocked.shape)] {
            let copy = residual.scalars
            let fused = try body.inferenceForward(x, addingThenReLU: residual)
            expectSame(fused, try unfused(layers, x, residual: residual), "residual, plain: \(residual.isPlain)")
            #expect(residual.scalars == copy, "the residual was overwritten")
        }
    }

    @Test func residualAfterAReLUFallsBackToAddThenReLU() throws {
        var generator = SeededGenerator(seed: 306)
        let (conv, norm) = makeConvolution(&generator)
        let layers: [any Layer] = [conv, norm, ReLU()]
        let body = Sequential(layers.enumerated().map { (name: String($0.offset), layer: $0.element) })
        let x = generator.tensor([2, 8, 5, 5])
        let residual = generator.tensor([2, 16, 5, 5])
        expectSame(try body.inferenceForward(x, addingThenReLU: residual), try unfused(layers, x, residual: residual),
                   "relu(relu(bn(conv x)) + r)")
    }

    @Test(arguments: [(64, 64, 1), (64, 32, 2), (32, 32, 1)])
    func residualBlocksMatchTheirLayersOneByOne(_ inChannels: Int, _ planes: Int, _ stride: Int) throws {
        var generator = SeededGenerator(seed: 307)
        let blocks: [any ResidualBlock] = [
            BasicBlock(inChannels: inChannels, planes: planes, stride: stride),
            Bottleneck(inChannels: inChannels, planes: planes / 4, stride: stride),
        ]
        for block in blocks {
            ResNetParity.fill(block, from: &generator)
            let x = generator.tensor([2, inChannels, 8, 8])
            let input = x.scalars
            let shortcut = try block.downsample.map { try unfused($0.layers.map(\.layer), x) } ?? x
            let reference = try unfused(block.body.layers.map(\.layer), x, residual: shortcut)
            expectSame(try block.forward(x, training: false), reference,
                       "\(type(of: block)) \(inChannels)→\(planes), stride \(stride)")
            #expect(x.scalars == input, "the block's input was overwritten")
        }
    }

    /// Blocks in a `Sequential` hand their output to the next block, whose identity shortcut may then
    /// become its output's storage: the chain must still equal the blocks run one by one.
    @Test func chainedBlocksReusingTheirInputMatchTheBlocksOneByOne() throws {
        var generator = SeededGenerator(seed: 308)
        for blocks in [[BasicBlock(inChannels: 16, planes: 16), BasicBlock(inChannels: 16, planes: 16)],
                       [Bottleneck(inChannels: 16, planes: 8, stride: 2), Bottleneck(inChannels: 32, planes: 8),
                        Bottleneck(inChannels: 32, planes: 8)]] as [[any ResidualBlock]] {
            let stage = Sequential(blocks.enumerated().map { (name: String($0.offset), layer: $0.element) })
            ResNetParity.fill(stage, from: &generator)
            let x = generator.tensor([2, 16, 8, 8])
            let input = x.scalars
            var reference = x
            for block in blocks {
                let shortcut = try block.downsample.map { try unfused($0.layers.map(\.layer), reference) } ?? reference
                reference = try unfused(block.body.layers.map(\.layer), reference, residual: shortcut)
            }
            expectSame(try stage.forward(x, training: false), reference, "\(blocks.count) chained blocks")
            #expect(x.scalars == input, "the stage's input was overwritten")
        }
    }

    @Test func mismatchedBatchNormIsNotFoldedAndStillNamesItself() {
        let network = Sequential([("conv", Conv2d(inChannels: 3, outChannels: 8, kernelSize: 1)),
                                  ("bn", BatchNorm2d(features: 4))])
        LayerChecks.expectShapeError(layer: "bn/BatchNorm2d(4)", expected: "[N, 4, H, W]", actual: [2, 8, 4, 4]) {
            _ = try network.forward(Tensor(shape: [2, 3, 4, 4]), training: false)
        }
    }

    @Test func shapeErrorsNameTheConvolutionInTheFusedPath() {
        let network = Sequential([("conv1", Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3)),
                                  ("bn1", BatchNorm2d(features: 8)), ("relu", ReLU())])
        LayerChecks.expectShapeError(layer: "conv1/Conv2d(3→8", expected: "[N, 3, H, W]", actual: [4, 1, 6, 6]) {
            _ = try network.forward(Tensor(shape: [4, 1, 6, 6]), training: false)
        }
    }
}

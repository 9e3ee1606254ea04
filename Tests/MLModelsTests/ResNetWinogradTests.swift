import CDNNL
import MLEngine
import MLModels
import TestSupport
import Testing

/// Winograd at the level of a whole ResNet: every convolution allowed `convolution_auto` against every
/// convolution direct (which `ResNetTests` proves against torchvision), on the same seeded model and batch —
/// the inference forward, the training forward and the training backward (input gradient and the weight
/// gradient of a 3×3 convolution Winograd can take). Each model is switched through `Conv2d.usesWinograd`,
/// never the process-wide `Engine.useWinograd`, so the tests running beside it are not affected.
///
/// Batch 32 at 56 px: `convolution_auto` picks Winograd only for large enough problems (at batch 8, 112 px
/// it picked none, and this test failed on its second check). Tolerance: Winograd's transforms round
/// differently from the direct algorithm. Measured (2026-12-04, Zen 4): forwards 1.0e-6 and 4.2e-6
/// (ResNet-18), 9.3e-7 and 4.3e-5 (ResNet-50), bound 1e-4; frozen-BN gradients 2.0e-6 (ResNet-18, bound
/// 1e-4) and 5.8e-3 (ResNet-50, bound 2e-2: its 53 convolutions and ReLUs amplify a rounding-level change of
/// the forward into the gradient, as they amplify float32 rounding against float64 in `resnet_resnet50.json`).
/// A wrong transform, tile or accumulation gives errors of order 1. The results must also differ from the
/// direct ones: identical results would mean Winograd never ran.
@Suite(.enabled(if: dnnl_get_effective_cpu_isa().rawValue >= dnnl_cpu_isa_avx512_core.rawValue,
                "oneDNN 2.6's Float32 Winograd needs AVX-512 (avx512_core); this CPU's effective ISA is \(Engine.cpuISA)"))
struct ResNetWinogradTests {
    @Test(arguments: [(ResNet.Architecture.resnet18, 56, 32, 1e-4), (.resnet50, 56, 32, 2e-2)])
    func winogradMatchesTheDirectAlgorithm(architecture: ResNet.Architecture, size: Int, batch: Int,
                                           gradientTolerance: Double) throws {
        let names = ["inference output", "training output", "frozen-BN input gradient", "frozen-BN layer1.0.conv2.weight gradient"]
        var results: [[[Float]]] = []
        for winograd in [false, true] {
            let model = ResNet(architecture, classCount: 100, seed: 11)
            for convolution in model.convolutions { convolution.usesWinograd = winograd }
            var generator = SeededGenerator(seed: 12)
            let x = generator.tensor([batch, 3, size, size])
            let dy = generator.tensor([batch, 100])
            let inference = try model.forward(x, training: false)
            let training = try model.forward(x, training: true)
            // The backward with batch norm frozen: a training-mode batch-norm backward through ResNet-50
            // amplifies float32 rounding about a thousandfold (PyTorch's own fp32 error on it is 1–2 %), which
            // would hide a wrong gradient; frozen, the same Winograd backward-data and backward-weights
            // primitives run on a well-conditioned problem.
            model.isBatchNormFrozen = true
            _ = try model.forward(x, training: true)
            let dx = try #require(model.backward(dy, needsInputGradient: true))
            let weight = try #require(model.namedParameters.first { $0.name == "layer1.0.conv2.weight" }?.parameter)
            results.append([inference.scalars, training.scalars, dx.scalars, try #require(weight.gradient).scalars])
        }
        for (index, name) in names.enumerated() {
            let direct = results[0][index].map(Double.init)
            let error = relativeError(results[1][index], direct)
            let tolerance = index < 2 ? 1e-4 : gradientTolerance
            #expect(error > 0, "\(architecture) \(name): identical to the direct algorithm, so Winograd never ran")
            #expect(error < tolerance, """
                \(architecture) \(name): Winograd's relative error \(error) ≥ \(tolerance); \
                \(worstMismatch(results[1][index], direct))
                """)
        }
    }
}

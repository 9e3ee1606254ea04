import Foundation
@testable import MLEngine
@testable import MLFormats
@testable import MLModels
import TestSupport
import Testing

@Suite struct ResNetTests {
    /// Runs the three passes of `tools/reference/resnet.py` (eval, frozen BN, training BN) and compares them;
    /// with `bf16`, in `Precision.bf16` within the bf16 rule, leaving out the tensors whose bf16 tolerance
    /// reaches 100 % (they could not fail: ResNet-18's training-BN gradients of the input, `conv1` and layer2,
    /// ill-conditioned at this size — see docs/precision.md).
    func checkParity(_ architecture: ResNet.Architecture, bf16: BFloat16Errors? = nil) throws {
        let fixture = try FixtureFile("resnet_\(architecture.rawValue).json")
        let (batch, size): (Int, Int) = (try fixture.meta("batch"), try fixture.meta("size"))
        let gradientNames = try ["conv1.weight", fixture.meta("middle"), "fc.weight"] + fixture.meta("deep", as: [String].self)
        let precision = bf16 == nil ? Precision.fp32 : .bf16
        let model = ResNet(architecture, classCount: try fixture.meta("classes"), seed: nil)
        model.precision = precision
        var generator = SeededGenerator(seed: UInt64(try fixture.meta("seed", as: Int.self)))
        ResNetParity.fill(model, from: &generator, residualGamma: try fixture.meta("residual_gamma"))
        let x = generator.tensor([batch, 3, size, size])
        let dy = generator.tensor([batch, model.classCount ?? 0])
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter) })
        func checked(_ name: String) -> Bool {
            ResNetParity.tolerance(name, in: fixture, floor: 0, bf16: bf16) < 1
        }
        func expectClose(_ got: Tensor, _ name: String) {
            if checked(name) { ResNetParity.expectClose(got.scalars, name, in: fixture, bf16: bf16) }
        }
        func expectCloseCompact(_ got: Tensor, _ name: String, floor: Double = 1e-4) {
            if checked(name) { ResNetParity.expectCloseCompact(got.scalars, name, in: fixture, floor: floor, bf16: bf16) }
        }

        expectClose(try model.forward(x, training: false), "eval.output")
        let backbone = ResNet(architecture, classCount: nil, seed: nil)
        backbone.precision = precision
        for (name, parameter) in backbone.namedParameters { parameter.value = parameters[name]!.value }
        let features = try backbone.forward(x, training: false)
        #expect(features.shape == [batch, architecture.featureCount])
        #expect(features.isPlain)
        expectCloseCompact(features, "eval.features", floor: 1e-5)

        for (mode, frozen) in [("frozen", true), ("train", false)] {
            model.isBatchNormFrozen = frozen
            model.zeroGradients()
            let y = try model.forward(x, training: true)
            expectClose(y, frozen ? "eval.output" : "train.output")
            let dx = try #require(model.backward(dy, needsInputGradient: true))
            #expect(dx.shape == x.shape)
            expectCloseCompact(dx, "\(mode).grad.input")
            for name in gradientNames {
                let gradient = try #require(parameters[name]?.gradient, "no gradient for \(name)")
                expectCloseCompact(gradient, "\(mode).grad.\(name)")
            }
        }
        expectClose(parameters["bn1.running_mean"]!.value, "train.bn1.running_mean")
        expectClose(parameters["bn1.running_var"]!.value, "train.bn1.running_var")
    }

    /// The training-mode gradient checks would catch a subtle bug in BN's batch-statistics backward: for each
    /// mutation `tools/reference/resnet.py` applied in float64 (dropping the mean term, dropping the projection
    /// term, means over count − 1), some checked gradient moves by more than twice its tolerance, so a result
    /// with that bug could not pass. ResNet-50's gradients below layer4 could not catch the count − 1 bug alone
    /// (PyTorch's own float32 error there is 0.4–0.9 %, from ReLU masks that rounding flips); layer4's do
    /// (docs/ARCHITECTURE.md, "Proof").
    @Test(arguments: [ResNet.Architecture.resnet18, .resnet50])
    func trainingGradientChecksCatchBatchNormBackwardMutations(_ architecture: ResNet.Architecture) throws {
        let fixture = try FixtureFile("resnet_\(architecture.rawValue).json")
        let shifts = try #require(fixture.meta["mutation_shift"] as? [String: [String: Double]], "no mutation_shift")
        let mutations = Set(shifts.values.flatMap(\.keys))
        #expect(mutations.count == 3, "mutations \(mutations.sorted())")
        for mutation in mutations.sorted() {
            let margins = shifts.map { tensor, shift in
                (tensor, (shift[mutation] ?? 0) / ResNetParity.tolerance(tensor, in: fixture, floor: 1e-4))
            }
            let best = try #require(margins.max { $0.1 < $1.1 })
            #expect(best.1 > 2, "\(mutation): the best-placed check, \(best.0), moves only \(best.1) × its tolerance")
        }
    }

    @Test func resnet18MatchesTorchvisionInAllBatchNormModes() throws {
        try checkParity(.resnet18)
    }

    @Test func resnet50MatchesTorchvisionInAllBatchNormModes() throws {
        try checkParity(.resnet50)
    }

    /// Rebuilds the safetensors file `safetensors.torch.save_file` wrote for the seeded ResNet-18 (its header
    /// from the fixture, its tensor bytes from the seeded fill; the checksum proves the bytes are identical),
    /// loads it by name into a differently initialised model and compares with PyTorch's inference output.
    @Test func resnet18LoadsTorchvisionSafeTensorsByName() throws {
        let fixture = try FixtureFile("resnet_resnet18.json")
        let entry = try #require(fixture.meta["safetensors"] as? [String: Any])
        let header = Data(try #require(entry["header"] as? String).utf8)
        let entries = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
        let source = ResNet.resnet18(seed: nil)
        var generator = SeededGenerator(seed: UInt64(try fixture.meta("seed", as: Int.self)))
        ResNetParity.fill(source, from: &generator)
        let x = generator.tensor([4, 3, 64, 64])

        var bytes = Data(count: try #require(entry["byte_count"] as? Int))
        let dataStart = 8 + header.count
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt64(header.count).littleEndian, as: UInt64.self)
            raw.baseAddress!.advanced(by: 8).copyMemory(from: Array(header), byteCount: header.count)
        }
        for (name, parameter) in source.namedParameters {
            let info = try #require(entries[name] as? [String: Any], "\(name) not in Python's file")
            #expect(info["dtype"] as? String == "F32")
            let offset = try #require((info["data_offsets"] as? [Int])?.first)
            // Float32 little-endian, the host's byte order on x86-64 and arm64.
            let values = parameter.value.scalars
            bytes.withUnsafeMutableBytes { raw in
                values.withUnsafeBytes { raw.baseAddress!.advanced(by: dataStart + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
        }
        #expect(String(checksum(bytes)) == entry["checksum"] as? String, "rebuilt file differs from Python's")

        let model = ResNet.resnet18(seed: 99)
        let report = try model.load(SafeTensorsFile(bytes: bytes, source: "resnet18.safetensors"))
        #expect(report.loaded.count == source.namedParameters.count)
        ResNetParity.expectClose(try model.forward(x, training: false).scalars, "eval.output", in: fixture)
    }

    /// Σ wᵢ·(2i + 1) mod 2⁶⁴ over the little-endian 64-bit words of `data` (zero-padded), as resnet.py.
    private func checksum(_ data: Data) -> UInt64 {
        var padded = data
        padded.append(contentsOf: [UInt8](repeating: 0, count: (8 - data.count % 8) % 8))
        return padded.withUnsafeBytes { raw in
            var sum: UInt64 = 0
            for i in 0..<(raw.count / 8) {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                sum &+= word &* (2 * UInt64(i) &+ 1)
            }
            return sum
        }
    }

    @Test(arguments: ResNet.Architecture.allCases)
    func stateDictNamesAndShapesMatchTorchvision(_ architecture: ResNet.Architecture) throws {
        let fixture = try FixtureFile("resnet_state_dict_names.json")
        for (key, classCount) in [(architecture.rawValue, 1000), (architecture.rawValue + "_backbone", nil)] {
            let expected = try #require(fixture.meta[key] as? [[Any]])
            let model = ResNet(architecture, classCount: classCount, seed: nil)
            let names = model.namedParameters.map(\.name)
            #expect(names == expected.map { $0[0] as? String ?? "" }, "\(key) state_dict names")
            #expect(model.namedParameters.map(\.parameter.value.shape) == expected.map { $0[1] as? [Int] ?? [] },
                    "\(key) state_dict shapes")
        }
    }

    @Test func wrongInputChannelsNameTheLayerAndBothShapes() throws {
        let model = ResNet.resnet18(classCount: 10)
        let error = try #require(throws: LayerError.self) {
            try model.forward(Tensor(shape: [2, 1, 32, 32]), training: false)
        }
        #expect(error.layer == "resnet18.conv1")
        #expect(error.actual == [2, 1, 32, 32])
        #expect(error.description.contains("[N, 3, H, W]"))
    }

    @Test func frozenModeFreezesEveryBatchNorm() {
        let model = ResNet.resnet50(classCount: nil, seed: nil)
        #expect(model.batchNorms.count == 53)
        #expect(!model.isBatchNormFrozen)
        model.isBatchNormFrozen = true
        #expect(model.batchNorms.allSatisfy { $0.isFrozen })
        #expect(model.isBatchNormFrozen)
    }
}

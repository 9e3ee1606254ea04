import Foundation
@testable import MLEngine
@testable import MLFormats
@testable import MLModels
import TestSupport
import Testing

@Suite struct LayerStateDictTests {
    /// A torchvision-like backbone: conv, batch norm (with buffers) and a linear layer.
    private func model() -> ParameterHolder {
        ParameterHolder([
            ("conv1.weight", Parameter(Tensor(shape: [4, 3, 3, 3]))),
            ("bn1.weight", Parameter(Tensor(shape: [4], repeating: 1))),
            ("bn1.bias", Parameter(Tensor(shape: [4]))),
            ("bn1.running_mean", Parameter(buffer: Tensor(shape: [4]))),
            ("bn1.running_var", Parameter(buffer: Tensor(shape: [4], repeating: 1))),
            ("layer1.0.weight", Parameter(Tensor(shape: [2, 4]))),
        ])
    }

    /// A file with every tensor of `model()` drawn from seed 5, plus `extra` tensors.
    private func weights(extra: [(String, [Int])] = [], skip: Set<String> = []) throws -> SafeTensorsFile {
        var generator = SeededGenerator(seed: 5)
        var file = SafeTensorsFile(source: "weights.safetensors")
        for (name, parameter) in model().namedParameters where !skip.contains(name) {
            file.add(generator.tensor(parameter.value.shape), named: name, as: .float16)
        }
        for (name, shape) in extra { file.add(generator.tensor(shape), named: name) }
        try file.add(integers: [100], shape: [], named: "bn1.num_batches_tracked")
        return try SafeTensorsFile(bytes: file.serialized(), source: "weights.safetensors")
    }

    @Test func loadsEveryKeyByNameAndBumpsVersions() throws {
        let layer = model()
        let file = try weights()
        let before = layer.namedParameters.map(\.parameter.version)
        let report = try layer.load(file)
        #expect(report.loaded == layer.namedParameters.map(\.name))
        #expect(report.ignored == ["bn1.num_batches_tracked"])
        #expect(report.isExact)
        for (name, parameter) in layer.namedParameters {
            #expect(parameter.value.scalars == (try file.tensor(named: name)).scalars, "\(name)")
        }
        #expect(zip(before, layer.namedParameters.map(\.parameter.version)).allSatisfy { $0 < $1 })
        #expect(try file.tensor(named: "conv1.weight").scalars.contains { $0 != 0 })
    }

    @Test func backboneFilterSkipsTheClassifier() throws {
        let layer = model()
        let report = try layer.load(try weights(extra: [("fc.weight", [10, 2]), ("fc.bias", [10])]), ignoring: .backbone)
        #expect(Set(report.ignored) == ["fc.weight", "fc.bias", "bn1.num_batches_tracked"])
        #expect(report.loaded.count == 6)
    }

    @Test func strictModeRefusesAnyMismatchAndChangesNothing() throws {
        let layer = model()
        layer.namedParameters[5].parameter.value = Tensor(shape: [2, 5])
        let file = try weights(extra: [("fc.weight", [10, 2])], skip: ["bn1.bias"])
        let error = #expect(throws: StateDictError.self) { try layer.load(file, strict: true) }
        #expect(error?.source == "weights.safetensors")
        #expect(error?.problem.contains("missing keys: bn1.bias") == true)
        #expect(error?.problem.contains("unexpected keys: fc.weight") == true)
        #expect(error?.problem.contains("mis-shaped keys: layer1.0.weight (model [2, 5], file [2, 4])") == true)
        #expect(layer.namedParameters[0].parameter.value.scalars.allSatisfy { $0 == 0 })
    }

    @Test func lenientModeLoadsWhatMatchesAndReportsTheRest() throws {
        let layer = model()
        layer.namedParameters[5].parameter.value = Tensor(shape: [2, 5])
        let report = try layer.load(try weights(extra: [("fc.weight", [10, 2])], skip: ["bn1.bias"]), strict: false)
        #expect(report.loaded == ["conv1.weight", "bn1.weight", "bn1.running_mean", "bn1.running_var"])
        #expect(report.missing == ["bn1.bias"])
        #expect(report.unexpected == ["fc.weight"])
        #expect(report.mismatched == [.init(name: "layer1.0.weight", modelShape: [2, 5], fileShape: [2, 4])])
        #expect(layer.namedParameters[5].parameter.value.scalars.allSatisfy { $0 == 0 })
    }

    @Test func stateDictExportRoundTripsThroughSafetensors() throws {
        let source = model()
        try source.load(try weights())
        let exported = try SafeTensorsFile(bytes: SafeTensorsFile(stateDictOf: source, metadata: ["arch": "test"]).serialized())
        #expect(exported.names == source.namedParameters.map(\.name))
        #expect(exported.metadata["arch"] == "test")
        let target = model()
        try target.load(exported)
        #expect(target.stateDict().map(\.tensor.scalars) == source.stateDict().map(\.tensor.scalars))
    }

    @Test func weightsFileRefusesUnknownExtensions() {
        let error = #expect(throws: StateDictError.self) { try WeightsFile.open(URL(fileURLWithPath: "/tmp/w.bin")) }
        #expect(error?.problem.contains("'.bin'") == true)
    }
}

/// End to end with the engine's layers: weights saved by torch load by name and give torch's output.
extension LayerStateDictTests {
    /// torch's Sequential(conv, bn, relu, pool, flatten, linear) with its state-dict names (no flatten).
    private func engineModel() -> Sequential {
        Sequential([
            ("0", Conv2d(inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1)),
            ("1", BatchNorm2d(features: 4)), ("2", ReLU()), ("3", GlobalAveragePool()),
            ("5", Linear(inFeatures: 4, outFeatures: 3)),
        ])
    }

    @Test(arguments: ["state_dict_model.pth", "state_dict_model.safetensors"])
    func torchWeightsReproduceTorchOutput(file: String) throws {
        let reference = try FixtureFile("state_dict_model.json")
        let model = engineModel()
        let report = try model.load(try WeightsFile.open(Fixture.url(file)), strict: true)
        #expect(report.loaded.count == 7)
        #expect(report.ignored == ["1.num_batches_tracked"])
        var generator = SeededGenerator(seed: 31)
        for (_, parameter) in model.namedParameters { _ = generator.uniform(count: parameter.value.count) }
        let y = try model.forward(generator.tensor([2, 3, 8, 8]), training: false).scalars
        let tolerance = max(1e-5, 3 * (reference.meta["pytorch_fp32_error"] as? Double ?? 0))
        let error = relativeError(y, reference["output"].values)
        #expect(error <= tolerance, "\(file) output: relative error \(error), \(worstMismatch(y, reference["output"].values))")
    }

    @Test func exportUsesTorchNames() throws {
        let model = engineModel()
        try model.load(try WeightsFile.open(Fixture.url("state_dict_model.pth")))
        let exported = try SafeTensorsFile(bytes: SafeTensorsFile(stateDictOf: model).serialized())
        let torch = try SafeTensorsFile(contentsOf: Fixture.url("state_dict_model.safetensors"))
        #expect(Set(exported.names) == Set(torch.names).subtracting(["1.num_batches_tracked"]))
        for name in exported.names { #expect(try exported.tensor(named: name).scalars == torch.tensor(named: name).scalars) }
    }

    @Test func loadsIntoALayerThroughTheStateDictAPI() throws {
        let weights = try WeightsFile.open(Fixture.url("pth_reference.pth"))
        let layer = ParameterHolder([("0.weight", [3, 2, 3, 3]), ("0.bias", [3]), ("1.weight", [3]), ("1.bias", [3]),
                                     ("1.running_mean", [3]), ("1.running_var", [3]), ("2.weight", [2, 3]), ("2.bias", [2])])
        let report = try layer.load(weights, strict: false)
        #expect(report.loaded == layer.namedParameters.map(\.name))
        #expect(report.ignored == ["1.num_batches_tracked"])
        #expect(report.unexpected == ["double", "half", "bf16", "transposed", "offset", "labels", "mask", "bytes"])
        #expect(layer.namedParameters[6].parameter.value.scalars == (try weights.tensor(named: "2.weight")).scalars)
    }
}

import Foundation
import MLExport
import MLFormats
import MLModels
import TestSupport
import Testing

/// The torchvision export against the state_dict names, shapes and dtypes that
/// tools/reference/torchvision_keys.py read from torchvision (`resnetNN()` with `fc = nn.Identity()`).
@Suite struct TorchvisionExporterTests {
    @Test(arguments: ResNet.Architecture.allCases)
    func backboneHasTorchvisionsKeysShapesAndDtypes(_ architecture: ResNet.Architecture) throws {
        let fixture = try FixtureFile("torchvision_backbone_keys.json")
        let expected = try #require(fixture.meta[architecture.rawValue] as? [[Any]])
        let model = try EmbeddingModel(EmbeddingModel.Settings(arch: architecture), seed: nil)
        let file = try TorchvisionExporter.stateDict(of: model, preprocessing: ExportTestModels.preprocessing)
        let got = try file.names.map { name -> [String] in
            let info = try #require(file.info(name))
            return [name, "\(info.shape)", info.dtype.rawValue]
        }
        #expect(got == expected.map { ["\($0[0])", "\($0[1] as? [Int] ?? [-1])", "\($0[2])"] })
    }

    @Test func neckTensorsAreSeparateAndEveryValueIsTheModels() throws {
        let model = try ExportTestModels.resnet18(featureNorm: .batch, remap: 24, l2Normalize: true)
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("weights.safetensors")
        let count = try TorchvisionExporter.write(model, preprocessing: ExportTestModels.preprocessing, to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.names.count == count)
        #expect(file.names.filter { $0.hasPrefix("neck.") } == [
            "neck.norm.running_mean", "neck.norm.running_var", "neck.norm.num_batches_tracked",
            "neck.remap.weight", "neck.remap.bias",
        ])
        for (name, parameter) in model.namedParameters {
            #expect(try file.tensor(named: name).scalars == parameter.value.scalars, "\(name)")
        }
        #expect(try file.integers(named: "layer3.1.bn2.num_batches_tracked") == [0])
        #expect(file.metadata["format"] == TorchvisionExporter.format)
        #expect(file.metadata["architecture"] == "resnet18" && file.metadata["embedding_size"] == "24")
        #expect(file.metadata["features"] == "512")
        #expect(file.metadata["feature_norm"] == "batch" && file.metadata["remap"] == "24")
        #expect(file.metadata["l2_normalize"] == "true")
        #expect(file.metadata["crop"] == #"{"height":64,"width":64}"# && file.metadata["mean"] == "[0.485,0.456,0.406]")
    }

    @Test func layerNormNeckHasNoTensorsButIsNamedInTheMetadata() throws {
        let model = try ExportTestModels.resnet18(featureNorm: .layer)
        let file = try TorchvisionExporter.stateDict(of: model, preprocessing: ExportTestModels.preprocessing, normalize: true)
        #expect(!file.names.contains { $0.hasPrefix("neck.") })
        #expect(file.metadata["feature_norm"] == "layer" && file.metadata["l2_normalize"] == "true")
        #expect(file.metadata["remap"] == "none" && file.metadata["embedding_size"] == "512")
    }
}

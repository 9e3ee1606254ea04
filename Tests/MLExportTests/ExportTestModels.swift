import MLData
@testable import MLExport
import MLEngine
import MLModels
import TestSupport

/// Models and preprocessing shared by the export tests: seeded ResNet-18s whose batch norms are not at
/// identity (`ResNetParity.fill`), at In-Shop's 64-pixel test transform (a centre crop).
enum ExportTestModels {
    static let preprocessing = try! InputPreprocessing(testPipeline: TransformPreset.inshop.test(imageSize: 64),
                                                       mean: Normalize.imageNet.mean, std: Normalize.imageNet.std)

    static func resnet18(featureNorm: FeatureNorm = .none, remap: Int? = nil, l2Normalize: Bool = false,
                         seed: UInt64 = 1) throws -> EmbeddingModel {
        let model = try EmbeddingModel(EmbeddingModel.Settings(arch: .resnet18, featureNorm: featureNorm, remap: remap,
                                                               l2Normalize: l2Normalize), seed: nil)
        var generator = SeededGenerator(seed: seed)
        ResNetParity.fill(model, from: &generator)
        return model
    }

    /// The ONNX model of `model` with `options`.
    static func proto(_ model: EmbeddingModel, _ options: ONNXExportOptions = ONNXExportOptions()) throws -> Onnx_ModelProto {
        try ONNXExporter(options: options).modelProto(of: model, preprocessing: preprocessing)
    }
}

extension Onnx_ModelProto {
    /// How many nodes of each operator type the graph has.
    var operatorCounts: [String: Int] { graph.node.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 } }

    /// The metadata props as a dictionary.
    var properties: [String: String] {
        Dictionary(uniqueKeysWithValues: metadataProps.map { ($0.key, $0.value) })
    }

    /// The float32 values of initializer `name`.
    func initializer(_ name: String) -> (shape: [Int], values: [Float])? {
        guard let tensor = graph.initializer.first(where: { $0.name == name }) else { return nil }
        let values = tensor.rawData.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return (tensor.dims.map { Int($0) }, values)
    }

    /// The node whose output is `name`.
    func node(_ name: String) -> Onnx_NodeProto? { graph.node.first { $0.output == [name] } }
}

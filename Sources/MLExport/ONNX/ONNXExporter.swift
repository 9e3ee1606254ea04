import Foundation
import MLFormats
import MLModels
import MLTraining

/// Writes an embedding model as an ONNX model in inference form: input `images` [N, 3, H, W] float32 in
/// [0, 1] (N dynamic, H × W the checkpoint's test-transform size) → mean/std normalisation → ResNet
/// backbone → neck (feature norm, remap, L2 normalisation; dropout left out) → output `embeddings` [N, d].
///
/// The metadata props describe the model (package version, architecture, embedding size, neck) and the
/// preprocessing a consumer must rebuild (resize, crop, mean, std). A model with a part ONNX cannot hold
/// here is refused with `ExportError` before anything is written.
public struct ONNXExporter: Sendable {
    /// The opset written unless asked otherwise: 17, the newest of Debian's onnx 1.12.
    public static let defaultOpset = 17
    /// The opsets the exporter writes (below 17, LayerNormalization is decomposed).
    public static var supportedOpsets: ClosedRange<Int> { ONNXOpset.supported }
    /// The graph input's name.
    public static let inputName = "images"
    /// The graph output's name.
    public static let outputName = "embeddings"

    /// What the exporter writes.
    public let options: ONNXExportOptions

    /// An exporter with `options`; throws `ExportError.unsupportedOpset` for an opset it does not write.
    public init(options: ONNXExportOptions = ONNXExportOptions()) throws {
        guard ONNXOpset.supported.contains(options.opset) else {
            throw ExportError.unsupportedOpset(options.opset, supported: ONNXOpset.supported,
                                               reason: ONNXOpset.refusal(options.opset))
        }
        self.options = options
    }

    /// The serialized ONNX model (protobuf bytes) of `model` taking images prepared by `preprocessing`.
    public func serializedModel(of model: EmbeddingModel, preprocessing: InputPreprocessing) throws -> Data {
        try modelProto(of: model, preprocessing: preprocessing).serializedData()
    }

    /// Writes the ONNX model of `model` to `url` atomically (a failure leaves any previous file intact);
    /// returns the number of bytes written.
    @discardableResult
    public func write(_ model: EmbeddingModel, preprocessing: InputPreprocessing, to url: URL) throws -> Int {
        let data = try serializedModel(of: model, preprocessing: preprocessing)
        try AtomicFile.write(data, to: url)
        return data.count
    }

    /// The model as an `Onnx_ModelProto`.
    func modelProto(of model: EmbeddingModel, preprocessing: InputPreprocessing) throws -> Onnx_ModelProto {
        let exported = try ExportedModel(model, preprocessing: preprocessing, normalize: options.normalize, format: "ONNX")
        var graph = GraphBuilder(opset: options.opset, batchNorm: options.batchNorm, input: Self.inputName)
        let channels = model.normalization.mean.count
        let mean = try graph.initializer("normalize.mean", model.normalization.mean, shape: [1, channels, 1, 1])
        let std = try graph.initializer("normalize.std", model.normalization.std, shape: [1, channels, 1, 1])
        let centered = graph.node("Sub", [Self.inputName, mean], "normalize.centered")
        var value = graph.node("Div", [centered, std], "normalize")
        value = try graph.add(model.backbone, path: "", input: value)
        for (name, layer) in model.neck { value = try graph.add(layer, path: "neck." + name, input: value) }
        if exported.addsL2Normalization { value = try graph.add(L2Normalization(), path: "neck.l2", input: value) }
        graph.renameLastOutput(value, to: Self.outputName)

        var proto = Onnx_ModelProto()
        proto.irVersion = Int64(ONNXOpset.irVersion(for: options.opset))
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(options.opset)
        proto.opsetImport = [opset]
        proto.producerName = "swift-metric-learning"
        proto.producerVersion = Provenance.packageVersion
        proto.docString = "Image embeddings: \(exported.model.backbone.architecture.rawValue) → d = \(exported.embeddingSize)"
        proto.metadataProps = (exported.properties + [
            ("normalization", "inside the model: (x − mean) / std per channel"),
            ("batch_norm", options.batchNorm.rawValue),
        ]).map { Onnx_StringStringEntryProto(key: $0.key, value: $0.value) }

        let size = preprocessing.inputSize
        proto.graph.name = "\(exported.model.backbone.architecture.rawValue)_embedding"
        proto.graph.input = [.float32(Self.inputName, dimensions: [.named("N"), .fixed(channels), .fixed(size.height),
                                                                    .fixed(size.width)])]
        proto.graph.output = [.float32(Self.outputName, dimensions: [.named("N"), .fixed(exported.embeddingSize)])]
        proto.graph.node = graph.nodes
        proto.graph.initializer = graph.initializers
        return proto
    }
}

import ArgumentParser
import Foundation
import MLExport
import MetricLearning

/// `dml export`: a checkpoint's model as ONNX (the whole embedding network) or as torchvision weights.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a checkpoint's model as ONNX, or its weights for torchvision's ResNet (safetensors).",
        discussion: """
            onnx: the whole embedding model in inference form, float32: input 'images' [N, 3, H, W] in [0, 1] \
            (N dynamic, H × W the checkpoint's test-transform size), mean/std normalisation, backbone, neck, \
            output 'embeddings' [N, d]; the metadata props give the resize, crop, mean and std.
            torchvision: the backbone under torchvision's resnetNN state-dict names (load it into resnetNN() \
            with fc = nn.Identity(), strict=True), the neck as neck.* tensors, the rest in __metadata__.
            A model the format cannot hold is refused and nothing is written.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case onnx, torchvision
    }

    @Option(help: "A checkpoint written by dml train (last.safetensors or best.safetensors).")
    var checkpoint: String
    @Option(help: "onnx or torchvision.")
    var format: Format
    @Option(help: "Output file (.onnx, or .safetensors for torchvision); replaced atomically.")
    var out: String
    @Option(help: "ONNX opset, \(ONNXExporter.supportedOpsets.lowerBound)–\(ONNXExporter.supportedOpsets.upperBound) (default \(ONNXExporter.defaultOpset)); below 17 LayerNormalization is decomposed.")
    var opset: Int?
    @Option(name: .customLong("batch-norm"),
            help: "ONNX batch norms: folded into the convolutions (default) or nodes (the trained statistics as they are).")
    var batchNorm: ONNXExportOptions.BatchNormForm?
    @Flag(help: "Add L2 normalisation of the embeddings when the checkpoint's model has none.")
    var normalize = false

    func validate() throws {
        if format == .torchvision {
            if opset != nil { throw ValidationError("--opset applies to --format onnx only") }
            if batchNorm != nil { throw ValidationError("--batch-norm applies to --format onnx only") }
        }
    }

    func run() throws {
        let options = ONNXExportOptions(opset: opset ?? ONNXExporter.defaultOpset, normalize: normalize,
                                        batchNorm: batchNorm ?? .folded)
        let exporter = try ONNXExporter(options: options)
        let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
        let model = try saved.makeModel()
        let preprocessing = try InputPreprocessing(testPipeline: saved.transforms.test(), mean: model.normalization.mean,
                                                   std: model.normalization.std)
        let url = URL(fileURLWithPath: out)
        let size = preprocessing.inputSize
        switch format {
        case .onnx:
            let bytes = try exporter.write(model, preprocessing: preprocessing, to: url)
            print("\(model.backbone.architecture.rawValue) → \(out): opset \(options.opset), batch norm \(options.batchNorm.rawValue), "
                  + "images [N, 3, \(size.height), \(size.width)] → embeddings [N, \(model.embeddingSize)], "
                  + String(format: "%.1f MB", Double(bytes) / 1e6))
        case .torchvision:
            let count = try TorchvisionExporter.write(model, preprocessing: preprocessing, normalize: normalize, to: url)
            print("\(model.backbone.architecture.rawValue) → \(out): \(count) tensors (torchvision names, neck.*), "
                  + "input \(size.height)×\(size.width)")
        }
    }
}

extension ONNXExportOptions.BatchNormForm: ExpressibleByArgument {}

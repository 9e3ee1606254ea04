import ArgumentParser
import Foundation
import MLExport
import MetricLearning

/// `dml bench export`: onnxruntime's CPU images/s on the exported model beside this package's inference
/// (what `dml embed` runs per batch: normalisation, backbone with fused batch norms, neck), in one run.
///
/// The model is a checkpoint's or a seeded `--arch` at `--size`. It is exported in both batch-norm forms
/// to a temporary folder; each side gets one untimed warm-up batch, then `--steps` timed batches of the
/// same size.
struct BenchExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "onnxruntime images/s on the exported model (batch norms folded and as nodes) beside dml's, same run.")

    @Option(help: "A checkpoint to export (default: a seeded model of --arch at --size).")
    var checkpoint: String?
    @Option(help: "Architecture without --checkpoint: \(ResNet.Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: ResNet.Architecture = .resnet50
    @Option(help: "Image side in pixels without --checkpoint.")
    var size = 224
    @Option(help: "Images per batch.")
    var batch = 16
    @Option(help: "Timed batches per side.")
    var steps = 5
    @Option(help: "Threads of both sides (default: the engine's).")
    var threads: Int?
    @Option(help: "A Python with onnxruntime and numpy, e.g. .build/onnx-check-venv/bin/python (tools/export/check.sh makes it).")
    var python: String
    @Option(help: "onnxruntime's graph optimisation: all, basic or disable.")
    var ortOptimization = "all"
    @Option(help: "The onnxruntime side.")
    var script = "tools/bench/onnxruntime_export.py"
    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard batch > 0, steps > 0, size >= 32 else { throw ValidationError("--batch and --steps must be positive, --size at least 32") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
        guard ["all", "basic", "disable"].contains(ortOptimization) else {
            throw ValidationError("--ort-optimization must be all, basic or disable")
        }
    }

    func run() throws {
        if let threads { Engine.threadCount = threads }
        let (model, preprocessing) = try makeModel()
        let input = preprocessing.inputSize
        var generator = SeededGenerator(seed: 1)
        let x = Tensor(shape: [batch, 3, input.height, input.width],
                       values: (0..<(batch * 3 * input.height * input.width)).map { _ in Float(generator.nextUnit()) })
        _ = try model.forward(x, training: false)
        let clock = ContinuousClock()
        let elapsed = try clock.measure { for _ in 0..<steps { _ = try model.forward(x, training: false) } }
        let ours = Double(batch * steps) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dml-bench-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var report: [String: Any] = [
            "arch": model.backbone.architecture.rawValue, "batch": batch, "height": input.height, "width": input.width,
            "threads": Engine.threadCount, "dml_images_per_second": ours,
        ]
        for form in ONNXExportOptions.BatchNormForm.allCases {
            let url = folder.appendingPathComponent("\(form.rawValue).onnx")
            try ONNXExporter(options: ONNXExportOptions(batchNorm: form)).write(model, preprocessing: preprocessing, to: url)
            report["onnxruntime_\(form.rawValue)"] = try runPythonReference(
                python, script: script,
                arguments: ["--model", url.path, "--batch", String(batch), "--steps", String(steps),
                            "--threads", String(Engine.threadCount), "--optimization", ortOptimization],
                option: "--python")
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(report["arch"]!) batch \(batch), \(input.height)×\(input.width), \(Engine.threadCount) threads, direct convolution")
        print(String(format: "dml inference: %.2f img/s", ours))
        for form in ONNXExportOptions.BatchNormForm.allCases {
            let side = report["onnxruntime_\(form.rawValue)"] as? [String: Any] ?? [:]
            let theirs = side["images_per_second"] as? Double ?? 0
            print(String(format: "onnxruntime %@ (batch norm %@, optimisation %@): %.2f img/s; dml / onnxruntime %.2f×",
                         "\(side["onnxruntime"] ?? "?")", form.rawValue, ortOptimization, theirs, ours / theirs))
        }
    }

    /// The checkpoint's model and preprocessing, or a seeded `--arch` with ImageNet's mean and std at `--size`.
    private func makeModel() throws -> (EmbeddingModel, InputPreprocessing) {
        if let checkpoint {
            let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
            let model = try saved.makeModel()
            return (model, try InputPreprocessing(testPipeline: saved.transforms.test(), mean: model.normalization.mean,
                                                  std: model.normalization.std))
        }
        let model = try EmbeddingModel(EmbeddingModel.Settings(arch: arch), seed: 0)
        return (model, try InputPreprocessing(testPipeline: ImagePipeline([CenterCrop(size)]), mean: model.normalization.mean,
                                              std: model.normalization.std))
    }
}

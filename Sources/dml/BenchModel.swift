import ArgumentParser
import Foundation
import MetricLearning

/// `dml bench model`: ResNet training and inference throughput on random data, optionally beside PyTorch.
///
/// A training step is torchvision's recipe for a classifier: `<arch>(num_classes=100)` with batch norm in
/// training mode, cross-entropy with label smoothing 0.1, SGD (lr 0.01, momentum 0.9, Nesterov, weight decay
/// 5e-4 on all parameters), no input gradient. Inference is the forward in inference mode. One untimed
/// warm-up step (which creates the primitives) precedes each timing.
struct BenchModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "ResNet training and inference images per second (DESIGN §6 JSON with --json)."
    )

    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Option(help: "Architecture: \(ResNet.Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch = "resnet50"
    @Option(help: "Images per batch.")
    var batch = 16
    @Option(help: "Image side in pixels.")
    var size = 224
    @Option(help: "OpenMP threads (default: the engine's).")
    var threads: Int?
    @Option(help: "Winograd for 3×3 stride-1 convolutions: on or off.")
    var winograd: Switch = .off
    @Option(help: "Timed steps (training steps and inference batches).")
    var steps = 5
    @Flag(help: "Print DESIGN §6's JSON.")
    var json = false
    @Option(name: .customLong("compare-pytorch"), help: "A Python with torch and torchvision to run the same benchmark.")
    var comparePytorch: String?
    @Option(help: "The PyTorch side of --compare-pytorch.")
    var pytorchScript = "tools/reference/bench_model.py"

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
        guard size >= 32 else { throw ValidationError("--size must be at least 32, got \(size)") }
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
        do { _ = try ResNet.Architecture(name: arch) } catch { throw ValidationError("--arch: \(error)") }
    }

    func run() throws {
        if let threads { Engine.threadCount = threads }
        Engine.useWinograd = winograd == .on
        // torchvision's resnet(num_classes=100) = the backbone + `fc`; here `fc` is the loss's classifier
        // (same shapes, torchvision's default init), and the loss is the smoothed cross-entropy on it.
        let classCount = 100
        let model = ResNet(try ResNet.Architecture(name: arch), classCount: nil)
        let loss = try SmoothCrossEntropyLoss(classes: classCount, embeddingSize: model.featureCount, smoothing: 0.1)
        var generator = SeededGenerator(seed: 1)
        let bound = 1 / Double(model.featureCount).squareRoot()
        loss.weight.value = generator.tensor(loss.weight.value.shape, scale: bound)
        loss.bias.value = generator.tensor(loss.bias.value.shape, scale: bound)
        let x = Tensor(shape: [batch, 3, size, size],
                       values: (0..<(batch * 3 * size * size)).map { _ in Float(generator.nextUnit()) })
        let labels = (0..<batch).map { _ in Int(generator.next() % UInt64(classCount)) }
        let parameters = model.trainableParameters + loss.namedParameters.map { ("fc." + $0.name, $0.parameter) }
        let optimizer = try SGD(groups: [.init(parameters: parameters, weightDecay: 5e-4)],
                                learningRate: 0.01, momentum: 0.9, nesterov: true)

        func trainStep() throws {
            optimizer.zeroGradients()
            let features = try model.forward(x, training: true)
            let gradient = try loss.evaluate(features, labels: labels, training: true).gradient
            _ = model.backward(gradient, needsInputGradient: false)
            optimizer.step()
        }
        // Inference: features, then the classifier's logits.
        func inferenceStep() throws {
            _ = try loss.evaluate(model.forward(x, training: false), labels: labels, training: false)
        }
        let train = try imagesPerSecond(trainStep)
        let inference = try imagesPerSecond(inferenceStep)

        var report: [String: Any] = [
            "arch": arch, "batch": batch, "size": size, "winograd": winograd == .on, "threads": Engine.threadCount,
            "train_images_per_second": train, "inference_images_per_second": inference,
            "peak_rss_bytes": peakResidentBytes(),
        ]
        if let python = comparePytorch {
            let pytorch = try runPyTorch(python)
            report["pytorch"] = pytorch
            if let pyTrain = pytorch["train_images_per_second"] as? Double,
               let pyInference = pytorch["inference_images_per_second"] as? Double {
                report["ratio"] = ["train": train / pyTrain, "inference": inference / pyInference]
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            printTable(report)
        }
    }

    /// Images per second over `steps` calls of `body` after one warm-up call.
    private func imagesPerSecond(_ body: () throws -> Void) throws -> Double {
        try body()
        let clock = ContinuousClock()
        let elapsed = try clock.measure { for _ in 0..<steps { try body() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Double(batch * steps) / seconds
    }

    /// Runs `pytorchScript` with `python` and returns its JSON object.
    private func runPyTorch(_ python: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: pytorchScript) else {
            throw ValidationError("--pytorch-script: no file at \(pytorchScript) (run from the repository root)")
        }
        return try runPythonReference(
            python, script: pytorchScript,
            arguments: ["--arch", arch, "--batch", String(batch), "--size", String(size),
                        "--threads", String(Engine.threadCount), "--steps", String(steps)],
            option: "--compare-pytorch")
    }

    private func printTable(_ report: [String: Any]) {
        let ratio = report["ratio"] as? [String: Double]
        let pytorch = report["pytorch"] as? [String: Any]
        print("\(arch) batch \(batch) size \(size), winograd \(winograd.rawValue), \(Engine.threadCount) threads")
        for (label, key, ratioKey) in [("train", "train_images_per_second", "train"),
                                       ("inference", "inference_images_per_second", "inference")] {
            var line = "\(label): " + String(format: "%.2f img/s", report[key] as? Double ?? 0)
            if let theirs = pytorch?[key] as? Double, let ratio = ratio?[ratioKey] {
                line += String(format: "  (PyTorch %.2f img/s, ratio %.2f×)", theirs, ratio)
            }
            print(line)
        }
        print("peak RSS: \((report["peak_rss_bytes"] as? Int ?? 0) >> 20) MiB")
    }
}

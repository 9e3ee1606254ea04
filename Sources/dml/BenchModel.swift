import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

/// `dml bench model`: ResNet training and inference throughput on random data, optionally beside PyTorch.
///
/// A training step is torchvision's recipe for a classifier: `<arch>(num_classes=100)` with batch norm in
/// training mode, cross-entropy with label smoothing 0.1, SGD (lr 0.01, momentum 0.9, Nesterov, weight decay
/// 5e-4 on all parameters), no input gradient. Inference is the forward in inference mode. One untimed
/// warm-up step (which creates the primitives) precedes each timing.
///
/// Under `mpirun -np W`, `--batch` is the global batch: each rank trains on batch / W images and the
/// gradients are averaged over the ranks as `dml train` does (`GradientBucketer`, overlapped with the
/// backward); rank 0 prints the total images per second and the allreduce time per step.
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
    @Option(help: "Under mpirun: gradient bucket size in MiB.")
    var bucketMib = 25
    @Option(help: "Under mpirun: what progresses the allreduces during the backward, thread or layers.")
    var progress = "thread"
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
        guard bucketMib > 0 else { throw ValidationError("--bucket-mib must be positive, got \(bucketMib)") }
        guard ["thread", "layers"].contains(progress) else { throw ValidationError("--progress: thread or layers, got \(progress)") }
        do { _ = try ResNet.Architecture(name: arch) } catch { throw ValidationError("--arch: \(error)") }
    }

    func run() throws {
        try ParallelRun.run { world in try run(world: world) }
    }

    private func run(world: Communicator?) throws {
        let (ranks, rank) = (world?.size ?? 1, world?.rank ?? 0)
        guard batch % ranks == 0 else {
            throw ValidationError("--batch \(batch) is the global batch: it must be divisible by the \(ranks) processes")
        }
        guard world == nil || comparePytorch == nil else {
            throw ValidationError("--compare-pytorch runs in a plain process: measure PyTorch without mpirun")
        }
        let localBatch = batch / ranks
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
        generator = generator.substream(UInt64(rank))
        let x = Tensor(shape: [localBatch, 3, size, size],
                       values: (0..<(localBatch * 3 * size * size)).map { _ in Float(generator.nextUnit()) })
        let labels = (0..<localBatch).map { _ in Int(generator.next() % UInt64(classCount)) }
        let parameters = model.trainableParameters + loss.namedParameters.map { ("fc." + $0.name, $0.parameter) }
        let optimizer = try SGD(groups: [.init(parameters: parameters, weightDecay: 5e-4)],
                                learningRate: 0.01, momentum: 0.9, nesterov: true)
        let bucketer = try world.map {
            try GradientBucketer(parameters: parameters.map(\.parameter), communicator: $0, bucketBytes: bucketMib << 20,
                                 driver: progress == "layers" ? .betweenLayers : .default)
        }
        var timings: [GradientBucketer.Timing] = []

        func trainStep() throws {
            optimizer.zeroGradients()
            let features = try model.forward(x, training: true)
            let gradient = try loss.evaluate(features, labels: labels, training: true).gradient
            guard let bucketer else {
                _ = model.backward(gradient, needsInputGradient: false)
                optimizer.step()
                return
            }
            bucketer.gradientsReady(loss.namedParameters.map(\.parameter))
            GradientObservation.$observer.withValue(bucketer) { _ = model.backward(gradient, needsInputGradient: false) }
            _ = try bucketer.reduce()
            timings.append(bucketer.lastTiming)
            optimizer.step()
        }
        // Inference: features, then the classifier's logits.
        func inferenceStep() throws {
            _ = try loss.evaluate(model.forward(x, training: false), labels: labels, training: false)
        }
        let train = try imagesPerSecond(trainStep, world: world)
        let inference = try imagesPerSecond(inferenceStep, world: world)
        guard rank == 0 else { return }

        var report: [String: Any] = [
            "arch": arch, "batch": batch, "size": size, "winograd": winograd == .on, "threads": Engine.threadCount,
            "train_images_per_second": train, "inference_images_per_second": inference,
            "peak_rss_bytes": peakResidentBytes(), "world_size": ranks,
        ]
        if let bucketer {
            report["allreduce"] = Self.allreduceReport(timings.suffix(steps), buckets: bucketer.bucketCount,
                                                       bucketMib: bucketMib, progress: progress)
        }
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

    /// Images per second of all ranks together over `steps` calls of `body` after one warm-up call: the
    /// global batch per call over the slowest rank's time.
    private func imagesPerSecond(_ body: () throws -> Void, world: Communicator?) throws -> Double {
        try body()
        let clock = ContinuousClock()
        let elapsed = try clock.measure { for _ in 0..<steps { try body() } }
        let own = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let seconds = try world?.allReduce([own], .maximum)[0] ?? own
        return Double(batch * steps) / seconds
    }

    /// The mean allreduce figures per timed step (seconds): from the first bucket's start to the last
    /// completion, the part the backward did not hide, the copies in and out of the buckets.
    private static func allreduceReport(_ timings: some Collection<GradientBucketer.Timing>, buckets: Int, bucketMib: Int,
                                        progress: String) -> [String: Any] {
        func mean(_ value: (GradientBucketer.Timing) -> Duration) -> Double {
            timings.map { value($0) / .seconds(1) }.reduce(0, +) / Double(max(timings.count, 1))
        }
        return ["seconds_per_step": mean(\.communication), "exposed_seconds_per_step": mean(\.exposed),
                "copy_seconds_per_step": mean(\.copying), "buckets": buckets, "bucket_mib": bucketMib, "progress": progress]
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
        let ranks = report["world_size"] as? Int ?? 1
        print("\(arch) batch \(batch) size \(size), winograd \(winograd.rawValue), \(Engine.threadCount) threads"
              + (ranks > 1 ? " per rank, \(ranks) ranks" : ""))
        for (label, key, ratioKey) in [("train", "train_images_per_second", "train"),
                                       ("inference", "inference_images_per_second", "inference")] {
            var line = "\(label): " + String(format: "%.2f img/s", report[key] as? Double ?? 0)
            if let theirs = pytorch?[key] as? Double, let ratio = ratio?[ratioKey] {
                line += String(format: "  (PyTorch %.2f img/s, ratio %.2f×)", theirs, ratio)
            }
            print(line)
        }
        if let allreduce = report["allreduce"] as? [String: Any] {
            let (total, exposed) = (allreduce["seconds_per_step"] as? Double ?? 0, allreduce["exposed_seconds_per_step"] as? Double ?? 0)
            print(String(format: "allreduce per step: %.1f ms, %.1f ms of it after the backward (%.0f%% hidden), copies %.1f ms; %d buckets",
                         total * 1e3, exposed * 1e3, total > 0 ? 100 * (1 - exposed / total) : 0,
                         (allreduce["copy_seconds_per_step"] as? Double ?? 0) * 1e3, allreduce["buckets"] as? Int ?? 0))
        }
        print("peak RSS: \((report["peak_rss_bytes"] as? Int ?? 0) >> 20) MiB" + (ranks > 1 ? " (rank 0)" : ""))
    }
}

import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

/// `dml bench model`: ResNet training and inference throughput on random data (`ModelBenchmark`), optionally
/// beside PyTorch at its best: `tools/reference/bench_model.py` with `channels_last`, and autocast bf16 for
/// `--precision bf16`. With `--pairs N` the two sides run alternately N times, one after the other (never
/// concurrently), and the medians of the same-run ratios are reported.
///
/// Under `mpirun -np W`, `--batch` is the global batch: each rank trains on batch / W images and the
/// gradients are averaged over the ranks as `dml train` does (`GradientBucketer`, overlapped with the
/// backward); rank 0 prints the total images per second and the allreduce time per step
/// (`BenchModel+Distributed.swift`).
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
    @Option(help: "Arithmetic: fp32, or bf16 mixed precision (needs a CPU with AVX512_BF16).")
    var precision: Precision = .fp32
    @Option(help: "Winograd for 3×3 stride-1 fp32 convolutions: on or off.")
    var winograd: Switch = .off
    @Option(help: "Timed steps (training steps and inference batches).")
    var steps = 5
    @Option(help: "Measurements (each beside PyTorch with --compare-pytorch); medians are reported.")
    var pairs = 1
    @Option(help: "Under mpirun: gradient bucket size in MiB.")
    var bucketMib = 25
    @Option(help: "Under mpirun: what progresses the allreduces during the backward, thread or layers.")
    var progress = "thread"
    @Flag(help: "Print DESIGN §6's JSON.")
    var json = false
    @Flag(help: "Then print where the time goes: oneDNN operations, Swift sections, the rest.")
    var profile = false
    @Option(name: .customLong("compare-pytorch"), help: "A Python with torch and torchvision to run the same benchmark.")
    var comparePytorch: String?
    @Option(help: "The PyTorch side of --compare-pytorch.")
    var pytorchScript = "tools/reference/bench_model.py"

    func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
        guard size >= 32 else { throw ValidationError("--size must be at least 32, got \(size)") }
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        guard pairs > 0 else { throw ValidationError("--pairs must be positive, got \(pairs)") }
        if let threads, threads <= 0 { throw ValidationError("--threads must be positive, got \(threads)") }
        guard bucketMib > 0 else { throw ValidationError("--bucket-mib must be positive, got \(bucketMib)") }
        guard ["thread", "layers"].contains(progress) else { throw ValidationError("--progress: thread or layers, got \(progress)") }
        do { _ = try ResNet.Architecture(name: arch) } catch { throw ValidationError("--arch: \(error)") }
    }

    func run() throws {
        try ParallelRun.run { world in
            if let world { try run(world: world) } else { try runAlone() }
        }
    }

    /// One process: the benchmark, `--pairs` times, beside PyTorch when asked.
    private func runAlone() throws {
        try precision.checkSupported()
        if let threads { Engine.threadCount = threads }
        Engine.useWinograd = winograd == .on
        let benchmark = try ModelBenchmark(arch: arch, batch: batch, size: size, precision: precision)
        var measurements: [[String: Any]] = []
        for _ in 0..<pairs {
            let (train, inference) = try benchmark.measure(steps: steps)
            var measurement: [String: Any] = ["train_images_per_second": train, "inference_images_per_second": inference]
            if let python = comparePytorch {
                let pytorch = try runPyTorch(python)
                measurement["pytorch"] = pytorch
                if let pyTrain = pytorch["train_images_per_second"] as? Double,
                   let pyInference = pytorch["inference_images_per_second"] as? Double {
                    measurement["ratio"] = ["train": train / pyTrain, "inference": inference / pyInference]
                }
            }
            measurements.append(measurement)
        }
        var report = summary(of: measurements)
        report.merge([
            "arch": arch, "batch": batch, "size": size, "precision": precision.rawValue, "winograd": winograd == .on,
            "threads": Engine.threadCount, "onednn": Engine.libraryVersion, "isa": Engine.cpuISA,
            "peak_rss_bytes": peakResidentBytes(),
        ]) { $1 }
        if pairs > 1 { report["pairs"] = measurements }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            printTable(report, measurements)
        }
        if profile { try printProfile(benchmark) }
    }

    /// The medians of the measurements' figures (ours, PyTorch's and the ratios, each taken separately).
    private func summary(of measurements: [[String: Any]]) -> [String: Any] {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        func median(_ key: String, in objects: [[String: Any]]) -> Double? {
            let values = objects.compactMap { ($0[key] as? NSNumber)?.doubleValue }
            return values.count == objects.count && !values.isEmpty ? median(values) : nil
        }
        var report: [String: Any] = [:]
        for key in ["train_images_per_second", "inference_images_per_second"] {
            report[key] = median(key, in: measurements)
        }
        let pytorch = measurements.compactMap { $0["pytorch"] as? [String: Any] }
        if !pytorch.isEmpty, var last = pytorch.last {
            for key in ["train_images_per_second", "inference_images_per_second"] {
                last[key] = median(key, in: pytorch)
            }
            last["peak_rss_bytes"] = median("peak_rss_bytes", in: pytorch).map { Int($0) }
            report["pytorch"] = last
        }
        let ratios = measurements.compactMap { $0["ratio"] as? [String: Double] }
        if !ratios.isEmpty {
            report["ratio"] = ["train": median(ratios.compactMap { $0["train"] }),
                               "inference": median(ratios.compactMap { $0["inference"] })]
        }
        return report
    }

    /// Runs `pytorchScript` with `python` and returns its JSON object.
    private func runPyTorch(_ python: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: pytorchScript) else {
            throw ValidationError("--pytorch-script: no file at \(pytorchScript) (run from the repository root)")
        }
        return try runPythonReference(
            python, script: pytorchScript,
            arguments: ["--arch", arch, "--batch", String(batch), "--size", String(size),
                        "--threads", String(Engine.threadCount), "--steps", String(steps),
                        "--precision", precision.rawValue],
            option: "--compare-pytorch")
    }

    private func printTable(_ report: [String: Any], _ measurements: [[String: Any]]) {
        let pytorch = report["pytorch"] as? [String: Any]
        print("\(arch) batch \(batch) size \(size), \(precision.rawValue), winograd \(winograd.rawValue), "
              + "\(Engine.threadCount) threads, oneDNN \(Engine.libraryVersion) (\(Engine.cpuISA))")
        if let pytorch {
            print("PyTorch \(pytorch["torch_version"] ?? "?"), \(pytorch["memory_format"] ?? "?")"
                  + (precision == .bf16 ? " + autocast bf16" : ""))
        }
        func line(_ label: String, _ figures: [String: Any]) -> String {
            let ratio = figures["ratio"] as? [String: Double]
            let theirs = figures["pytorch"] as? [String: Any]
            var text = label
            for (name, key) in [("train", "train_images_per_second"), ("inference", "inference_images_per_second")] {
                text += String(format: "  %@ %.2f img/s", name, figures[key] as? Double ?? 0)
                if let other = theirs?[key] as? Double, let ratio = ratio?[name] {
                    text += String(format: " (PyTorch %.2f, %.2f×)", other, ratio)
                }
            }
            return text
        }
        if measurements.count > 1 {
            for (index, measurement) in measurements.enumerated() { print(line("pair \(index + 1):", measurement)) }
        }
        print(line(measurements.count > 1 ? "median:" : "", report))
        var memory = "peak RSS: \((report["peak_rss_bytes"] as? Int ?? 0) >> 20) MiB"
        if let theirs = pytorch?["peak_rss_bytes"] as? Int { memory += " (PyTorch \(theirs >> 20) MiB)" }
        print(memory)
    }
}

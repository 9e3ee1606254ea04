import ArgumentParser
import Foundation
import MetricLearning

/// `dml bench loader`: the training loader end to end — sampler, worker threads, decoding, the preset's
/// train transform and batch assembly — over a dataset's first split (the training split; an image
/// folder's only one).
struct BenchLoader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loader",
        abstract: "Images per second of the batch loader on a dataset's training split with a preset's train transform.")

    @Option(help: "Dataset layout: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: DatasetFormat = .fashionMNIST

    @Argument(help: "The dataset folder (optional for fashion-mnist).")
    var path: String?

    @Option(help: "Transform preset (default: the format's own when there is one, else cub).")
    var preset: TransformPreset?

    @Option(help: "Loader threads.") var workers = 1
    @Option(help: "Batch size.") var batch = 128
    @Option(help: "Batches to load (default: one epoch).") var batches: Int?
    @Flag(help: "Preload the compressed files first (not timed).") var preload = false
    @Flag(help: "Print JSON (the keys of DESIGN §6's bench data).") var json = false

    func validate() throws {
        guard workers >= 1, batch >= 1 else { throw ValidationError("--workers and --batch must be at least 1") }
    }

    func run() throws {
        let preset = preset ?? TransformPreset(rawValue: format.rawValue) ?? .cub
        let dataset = try Dataset.load(format, at: path.map { URL(fileURLWithPath: $0) })
        guard var split = dataset.splits.first else { throw ValidationError("\(dataset.root.path) has no images") }
        if preload { split = try split.preloadingFiles() }
        let size = preset.defaultImageSize
        let loader = BatchLoader(split: split, height: size, width: size, pipeline: preset.train(),
                                 options: .init(workers: workers, prefetch: 2, skipBadImages: true, seed: 0))
        let plan = try RandomBatchSampler(count: split.count, batchSize: batch, seed: 0).batches(epoch: 0)
        let stream = loader.load(Array(plan.prefix(batches ?? plan.count)), epoch: 0)
        let cpuStart = cpuSeconds(), start = Date()
        var images = 0
        var failed: [String] = []
        while let loaded = try stream.next() {
            images += loaded.indices.count
            failed += loaded.skipped
        }
        let wall = Date().timeIntervalSince(start), cpu = cpuSeconds() - cpuStart
        let report: [String: Any] = [
            "images": images, "workers": workers, "images_per_second": Double(images) / wall,
            "cpu_seconds_per_image": cpu / Double(max(images, 1)), "failed": failed,
        ]
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(String(format: "%@ %@ split, preset %@ (%d px), %d worker(s): %d images, %.1f images/s, %.3f ms CPU per image",
                         format.rawValue, split.name, preset.rawValue, size, workers, images, Double(images) / wall,
                         cpu / Double(max(images, 1)) * 1000))
            for file in failed { print("  failed: \(file)") }
        }
    }
}

extension TransformPreset: ExpressibleByArgument {}

import ArgumentParser
import Dispatch
import Foundation
import MetricLearning

/// `dml bench data --images DIR`: decode + the CUB train transform (to a [0, 1] tensor) over every file in
/// DIR, on `--workers` threads, each with its own decoder and a generator seeded by the image's index.
struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Images per second and CPU seconds per image for decoding + the CUB train transform.",
        discussion: """
            Every non-hidden regular file under --images (recursively, sorted) is decoded and transformed once; \
            files that fail are listed under "failed" and the rest still measured. CPU seconds are the \
            process's user + system time (getrusage). --compare-torchvision PYTHON runs \
            tools/reference/bench_data.py (PIL + torchvision, one torch thread per process) on the same files \
            in the same run; "ratio" is torchvision's CPU seconds per image over ours.
            """
    )

    @Option(help: "Folder of images (e.g. 500×375 JPEGs; tools/reference/bench_data.py DIR --generate N makes some).")
    var images: String

    @Option(help: "Worker threads (processes on the torchvision side).")
    var workers = 1

    @Flag(help: "Print JSON (DESIGN §6).")
    var json = false

    @Option(name: .customLong("compare-torchvision"), help: "A Python with Pillow and torchvision, e.g. a venv with torchvision from PyPI.")
    var python: String?

    @Option(help: "The reference script (run from the repository root by default).")
    var script = "tools/reference/bench_data.py"

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() throws {
        let files = try Self.listFiles(images)
        guard !files.isEmpty else { throw ValidationError("no files under --images \(images)") }
        let ours = Self.measure(files, under: images, workers: workers)
        var report: [String: Any] = [
            "images": ours.images, "workers": workers, "images_per_second": ours.imagesPerSecond,
            "cpu_seconds_per_image": ours.cpuSecondsPerImage, "failed": ours.failed,
        ]
        var reference: [String: Any]?
        if let python {
            let theirs = try runTorchvision(python)
            reference = theirs
            report["torchvision"] = theirs
            if let cpu = theirs["cpu_seconds_per_image"] as? Double, ours.cpuSecondsPerImage > 0 {
                report["ratio"] = cpu / ours.cpuSecondsPerImage
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("decode + CUB train transform, \(ours.images) images, \(workers) worker(s)")
        print(String(format: "  swift:       %8.1f images/s  %7.3f ms CPU per image", ours.imagesPerSecond,
                     ours.cpuSecondsPerImage * 1000))
        if let reference, let ips = reference["images_per_second"] as? Double,
           let cpu = reference["cpu_seconds_per_image"] as? Double {
            print(String(format: "  torchvision: %8.1f images/s  %7.3f ms CPU per image", ips, cpu * 1000))
            if let ratio = report["ratio"] as? Double { print(String(format: "  ratio (CPU per image): %.2f×", ratio)) }
        }
        for path in ours.failed { print("  failed: \(path)") }
        for error in ours.errors.prefix(10) { print("    \(error)") }
    }

    struct Measurement {
        var images: Int
        var imagesPerSecond: Double
        var cpuSecondsPerImage: Double
        var failed: [String]
        var errors: [String]
    }

    /// Decodes and transforms every file once on `workers` threads, with the loader's sample writers
    /// (the fused path for the CUB train pipeline), each writing into its own [3, 224, 224] buffer.
    static func measure(_ files: [String], under directory: String, workers: Int) -> Measurement {
        ProcessMemory.retainFreedBlocks()
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let split = DatasetSplit(name: "bench", labels: files.map { _ in 0 },
                                 source: .files(root: root, paths: files.map { relativePath($0, under: root) }))
        let size = TransformPreset.cub.defaultImageSize
        let makeWriter = split.imageWriters(height: size, width: size, pipeline: TransformPreset.cub.train())
        let results = Results(count: files.count)
        let cpuStart = cpuSeconds(), start = DispatchTime.now()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let write = makeWriter()
            var slot = [Float](repeating: 0, count: 3 * size * size)
            for index in stride(from: worker, to: files.count, by: workers) {
                var generator = SeededGenerator(seed: UInt64(index))
                do {
                    try slot.withUnsafeMutableBufferPointer { try write(index, &generator, $0) }
                } catch {
                    results.record(failure: "\(error)", at: index)
                }
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let cpu = cpuSeconds() - cpuStart
        let errors = results.failures
        let failed = errors.indices.filter { errors[$0] != nil }
        let done = files.count - failed.count
        return Measurement(images: done, imagesPerSecond: wall > 0 ? Double(done) / wall : 0,
                           cpuSecondsPerImage: done > 0 ? cpu / Double(done) : 0,
                           failed: failed.map { files[$0] }, errors: failed.compactMap { errors[$0] })
    }

    /// `path` relative to `root` (the files come from listing `root`).
    private static func relativePath(_ path: String, under root: URL) -> String {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return standardized.hasPrefix(prefix) ? String(standardized.dropFirst(prefix.count)) : standardized
    }

    /// Every non-hidden regular file under `directory`, recursively, sorted by path.
    static func listFiles(_ directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--images \(directory) is not a folder")
        }
        let root = URL(fileURLWithPath: directory)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files.append(url.path)
        }
        return files.sorted()
    }

    /// Runs the PIL + torchvision script on the same folder and parses its JSON.
    private func runTorchvision(_ python: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: script) else {
            throw ValidationError("reference script \(script) not found (run from the repository root or pass --script)")
        }
        return try runPythonReference(python, script: script, arguments: [images, "--workers", String(workers)],
                                      option: "--compare-torchvision")
    }
}

/// Per-image failure messages written by the worker threads (each index by one thread).
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func record(failure: String, at index: Int) {
        lock.lock()
        storage[index] = failure
        lock.unlock()
    }

    var failures: [String?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

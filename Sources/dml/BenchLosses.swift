import ArgumentParser
import Foundation
import MetricLearning

/// `dml bench losses`: forward + backward time of every registered loss (with its default miner) on
/// 128 × 512 embeddings of 64 classes; `--compare-pml` times pytorch-metric-learning in the same run.
struct BenchLosses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "losses",
        abstract: "Time each loss's forward and backward pass (median of --iterations), optionally beside PML."
    )

    @Flag(help: "Print {\"losses\": [{\"name\", \"ms\", \"pml_ms\", \"ratio\"}]} (DESIGN §6).")
    var json = false

    @Option(name: .customLong("compare-pml"), help: "A Python with torch and pytorch-metric-learning 2.9 to time on CPU.")
    var python: String?

    @Option(help: "The PML timing script.")
    var pmlScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/bench/losses_pml.py").path

    @Option(help: "Timed repetitions per loss (after 3 warm-up runs).")
    var iterations = 20

    @Option(help: "Only these losses (comma-separated registry names).")
    var losses: String?

    @Option(help: "Threads for oneDNN's sgemm here and for PML's torch (default: the engine's).")
    var threads = Engine.threadCount

    static let (n, d, classes) = (128, 512, 64)

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1, got \(iterations)") }
        if let losses {
            for name in losses.split(separator: ",") {
                do { _ = try LossRegistry.loss(named: String(name)) } catch { throw ValidationError("--losses: \(error)") }
            }
        }
    }

    func run() throws {
        Engine.threadCount = threads
        let names = losses.map { $0.split(separator: ",").map(String.init) } ?? LossRegistry.losses.map(\.name)
        var generator = SeededGenerator(seed: 1)
        let embeddings = generator.tensor([Self.n, Self.d])
        let labels = (0..<Self.n).map { $0 % Self.classes }
        var swiftTimes: [String: Double] = [:]
        for name in names {
            let criterion = try LossRegistry.makeCriterion(loss: name, classes: Self.classes, embeddingSize: Self.d)
            swiftTimes[name] = try medianMilliseconds {
                criterion.zeroGradients()
                _ = try criterion(embeddings, labels: labels)
            }
        }
        let pmlTimes = try python.map { try timePML(python: $0, names: names) } ?? [:]
        report(names: names, swift: swiftTimes, pml: pmlTimes)
    }

    private func medianMilliseconds(_ body: () throws -> Void) throws -> Double {
        for _ in 0..<3 { try body() }
        var times: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[times.count / 2]
    }

    private func timePML(python: String, names: [String]) throws -> [String: Double] {
        let times = try runPythonReference(
            python, script: pmlScript, arguments: ["\(Self.n)", "\(Self.d)", "\(Self.classes)", "\(iterations)", "\(threads)"],
            environment: ["DML_BENCH_LOSSES": names.joined(separator: ",")], option: "--compare-pml")
        return times.compactMapValues { $0 as? Double }
    }

    private func report(names: [String], swift: [String: Double], pml: [String: Double]) {
        if json {
            let entries = names.map { name -> [String: Any] in
                var entry: [String: Any] = ["name": name, "ms": swift[name] ?? 0]
                if let reference = pml[name], let ms = swift[name] {
                    entry["pml_ms"] = reference
                    entry["ratio"] = reference / ms
                }
                return entry
            }
            let data = (try? JSONSerialization.data(withJSONObject: ["losses": entries], options: [.sortedKeys])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("loss (\(Self.n) × \(Self.d), \(Self.classes) classes)     ms" + (pml.isEmpty ? "" : "    pml_ms   ratio"))
        for name in names {
            let ms = swift[name] ?? 0
            var line = name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%8.3f", ms)
            if let reference = pml[name] { line += String(format: "  %8.3f  %6.2f", reference, reference / ms) }
            print(line)
        }
    }
}

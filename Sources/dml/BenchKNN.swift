import ArgumentParser
import Foundation
import MetricLearning

/// `dml bench knn`: exact leave-one-out search and metrics on random normalised embeddings, optionally
/// beside faiss-cpu's `IndexFlatIP` on the same data (same thread count) in the same run.
struct BenchKNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knn",
        abstract: "Time exact kNN search and retrieval metrics (SOP scale by default).")

    @Option(help: "Embeddings (each a query against all others).") var n = 60502
    @Option(help: "Embedding size.") var dim = 512
    @Option(help: "Neighbours per query (faiss searches k + 1, the query included).") var k = 1000
    @Option(help: "Items per class of the synthetic labels.") var classSize = 5
    @Option(help: "Rows and columns per sgemm block.") var blockSize = ExactSearch.defaultBlockSize
    @Option(help: "Threads for oneDNN, the selection and faiss (default: all cores).") var threads: Int?
    @Option(help: "Seed of the random embeddings.") var seed: UInt64 = 0
    @Option(name: .customLong("compare-faiss"), help: ArgumentHelp("Python with faiss-cpu to compare against.", valueName: "PYTHON"))
    var python: String?
    @Flag(help: "Print DESIGN §6 JSON.") var json = false

    func run() throws {
        if let threads { Engine.threadCount = threads }
        let embeddings = randomUnitRows()
        let labels = (0..<n).map { $0 / classSize }
        let searchStart = Date(), searchCPUStart = cpuSeconds()
        let neighbors = try ExactSearch.neighbors(queries: embeddings, k: k, distance: .dot, blockSize: blockSize)
        let searchSeconds = Date().timeIntervalSince(searchStart), searchCPU = cpuSeconds() - searchCPUStart
        let metricsStart = Date()
        let metrics = RetrievalMetrics(
            neighbors: neighbors, queryLabels: labels, galleryLabels: labels, leaveOneOut: true,
            recallAt: [1, 10, 100, 1000].filter { $0 <= k })
        let metricsSeconds = Date().timeIntervalSince(metricsStart)
        let peak = peakResidentBytes()
        let faiss = try python.map { try faissSeconds(embeddings, python: $0) }

        var fields: [String] = [
            "\"n\": \(n)", "\"dim\": \(dim)", "\"k\": \(k)", "\"threads\": \(Engine.threadCount)",
            "\"search_seconds\": \(rounded(searchSeconds))", "\"search_cpu_seconds\": \(rounded(searchCPU))", "\"metrics_seconds\": \(rounded(metricsSeconds))",
            "\"total_seconds\": \(rounded(searchSeconds + metricsSeconds))", "\"peak_rss_bytes\": \(peak)",
            "\"neighbors_checksum\": \"\(neighbors.fingerprint)\"",
        ]
        if let faiss {
            fields += ["\"faiss_seconds\": \(rounded(faiss.wall))", "\"ratio\": \(rounded(searchSeconds / faiss.wall))",
                       "\"faiss_cpu_seconds\": \(rounded(faiss.cpu))", "\"cpu_ratio\": \(rounded(searchCPU / faiss.cpu))"]
        }
        if json {
            print("{\(fields.joined(separator: ", "))}")
            return
        }
        print("exact kNN, leave-one-out, n \(n), dim \(dim), k \(k), \(Engine.threadCount) threads, block \(blockSize)")
        print(String(format: "search  %.2f s (%.2f CPU s)   metrics %.2f s   peak RSS %.2f GB", searchSeconds, searchCPU,
                     metricsSeconds,
                     Double(peak) / 1e9))
        if let faiss {
            print(String(format: "faiss IndexFlatIP (k + 1) %.2f s (%.2f CPU s)   ratio %.3f   CPU ratio %.3f", faiss.wall,
                         faiss.cpu, searchSeconds / faiss.wall, searchCPU / faiss.cpu))
        }
        print("recall@1 of the random labels: \(metrics.recallAtK[1] ?? 0) (sanity check, not a result)")
        print("neighbours checksum: \(neighbors.fingerprint) (equal checksums: identical indices, order and values)")
    }

    private func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// n × dim uniform values in [-1, 1), each row scaled to unit length.
    private func randomUnitRows() -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var values = generator.uniform(count: n * dim)
        for row in 0..<n {
            let slice = (row * dim)..<((row + 1) * dim)
            let norm = slice.reduce(Float(0)) { $0 + values[$1] * values[$1] }.squareRoot()
            for i in slice { values[i] /= norm }
        }
        return Tensor(shape: [n, dim], values: values)
    }

    /// Wall and CPU seconds faiss-cpu's IndexFlatIP takes to search the embeddings for k + 1 neighbours.
    private func faissSeconds(_ embeddings: Tensor, python: String) throws -> (wall: Double, cpu: Double) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dml-bench-knn-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("embeddings.npy")
        try NumPyArray.write(embeddings.scalars, shape: embeddings.shape, to: file)
        let script = directory.appendingPathComponent("faiss_search.py")
        try """
            import json, sys, time
            import faiss, numpy as np
            x = np.load(sys.argv[1]); faiss.omp_set_num_threads(int(sys.argv[3]))
            index = faiss.IndexFlatIP(x.shape[1]); index.add(x)
            start, cpu = time.perf_counter(), time.process_time(); index.search(x, int(sys.argv[2]) + 1)
            print(json.dumps({"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}))
            """.write(to: script, atomically: true, encoding: .utf8)
        let object = try runPythonReference(python, script: script.path,
                                            arguments: [file.path, String(k), String(Engine.threadCount)],
                                            option: "--compare-faiss")
        guard let seconds = object["seconds"] as? Double, let cpu = object["cpu_seconds"] as? Double else {
            throw ValidationError("--compare-faiss: \(python) printed no \"seconds\": \(object)")
        }
        return (seconds, cpu)
    }
}

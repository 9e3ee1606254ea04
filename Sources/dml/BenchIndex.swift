import ArgumentParser
import Foundation
import MetricLearning
import MLIndex

/// `dml bench index`: exact search and each approximate structure on one gallery — build time, memory,
/// recall@k against the exact search, and queries per second one query at a time on all cores.
struct BenchIndex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Compare exact search with HNSW (hnswlib, faiss) and IVF-flat: build, memory, recall, QPS.",
        discussion: """
            The gallery is an embeddings file (--embeddings; --queries of its rows, chosen by --seed, are taken \
            out of the gallery and searched) or a Gaussian mixture (--gaussian N points of --dim with \
            --centres centres, unit length; the queries are further points of the same mixture). Exact search \
            answers one query at a time with all cores inside each search; the approximate structures answer \
            one query per thread on as many threads as cores.
            """)

    @Option(help: "An embeddings file (dml embed).") var embeddings: String?
    @Option(help: "Gallery size of the Gaussian mixture.") var gaussian = 1_000_000
    @Option(help: "Mixture dimension.") var dim = 128
    @Option(help: "Mixture centres.") var centres = 1_000
    @Option(help: "Queries.") var queries = 1_000
    @Option(help: "Queries timed for exact search (it is slow).") var exactQueries = 200
    @Option(help: "Neighbours.") var k = 10
    @Option(help: "Structures: exact, hnswlib, faiss-hnsw, faiss-ivf (comma-separated).")
    var kinds = "exact,hnswlib,faiss-hnsw,faiss-ivf"
    @Option(help: "HNSW links per node.") var m = HNSWParameters().m
    @Option(help: "HNSW candidates while inserting.") var efConstruction = HNSWParameters().efConstruction
    @Option(help: "HNSW ef_search values to measure.") var efSearch = "16,32,64,96,128,256"
    @Option(help: "IVF lists (default √n).") var lists: Int?
    @Option(help: "IVF probes to measure.") var probes = "1,4,8,16,32,64"
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Seed of the mixture and the query choice.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON object per measurement.") var json = false

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        Engine.threadCount = threads
        let (gallery, queryRows, dimension, what) = try data()
        let n = gallery.count / dimension, q = queryRows.count / dimension
        if !json { print("\(what): gallery \(n) × \(dimension), \(q) queries, k \(k), \(threads) threads") }
        let truthStart = Date()
        let truth = try ExactSearch.neighbors(queries: Tensor(shape: [q, dimension], values: queryRows),
                                              gallery: Tensor(shape: [n, dimension], values: gallery), k: k, distance: .cosine)
        if !json { print(String(format: "ground truth (exact, all queries in one batch): %.1f s", Date().timeIntervalSince(truthStart))) }
        let truthSets = (0..<q).map { Set(truth.indices(of: $0).map { Int($0) }) }
        /// The share of the true k nearest found, over the queries answered (the first `found.count`).
        func recall(_ found: [[SearchHit]]) -> Double {
            Double(zip(found, truthSets).map { hits, truth in hits.filter { truth.contains($0.id) }.count }.reduce(0, +))
                / Double(max(found.count, 1) * k)
        }
        for name in kinds.split(separator: ",").map(String.init) {
            if name == "exact" {
                try benchExact(gallery, queryRows, dimension: dimension, recall: recall)
                continue
            }
            guard let backend = ApproximateIndex.Backend(rawValue: name) else {
                throw ValidationError("unknown kind '\(name)'; valid: exact, hnswlib, faiss-hnsw, faiss-ivf")
            }
            try benchApproximate(backend, gallery, queryRows, dimension: dimension, threads: threads, recall: recall)
        }
    }

    private func data() throws -> ([Float], [Float], Int, String) {
        if let embeddings {
            let read = try LabeledEmbeddings(contentsOf: URL(fileURLWithPath: embeddings))
            let d = read.dimension
            let normalized = GalleryIndex.normalized(read.values.scalars, dimension: d)
            var generator = SeededGenerator(seed: seed)
            let chosen = Set(generator.choose(min(queries, read.count - 1), from: Array(0..<read.count)))
            var gallery: [Float] = [], queryRows: [Float] = []
            gallery.reserveCapacity(normalized.count)
            for row in 0..<read.count {
                let values = normalized[(row * d)..<((row + 1) * d)]
                if chosen.contains(row) { queryRows += values } else { gallery += values }
            }
            return (gallery, queryRows, d, "\(embeddings) (normalised)")
        }
        let mixture = GaussianMixture(dimension: dim, centres: centres, seed: seed)
        return (mixture.points(0..<gaussian).vectors, mixture.points(gaussian..<(gaussian + queries)).vectors, dim,
                "Gaussian mixture, \(centres) centres, spread \(mixture.spread)")
    }

    private func benchExact(_ gallery: [Float], _ queryRows: [Float], dimension: Int, recall: ([[SearchHit]]) -> Double) throws {
        let before = ResidentMemory.bytes()
        let start = Date()
        let prepared = try ExactSearch.Gallery(Tensor(shape: [gallery.count / dimension, dimension], values: gallery), distance: .cosine)
        let build = Date().timeIntervalSince(start)
        let memory = ResidentMemory.bytes() - before
        let timed = min(exactQueries, queryRows.count / dimension)
        var found: [[SearchHit]] = []
        let searchStart = Date()
        for row in 0..<timed {
            let list = try ExactSearch.neighbors(queries: Tensor(shape: [1, dimension], values: Array(queryRows[(row * dimension)..<((row + 1) * dimension)])),
                                                 in: prepared, k: k)
            found.append((0..<k).map { SearchHit(id: Int(list.indices[$0]), score: list.values[$0]) })
        }
        let qps = Double(timed) / Date().timeIntervalSince(searchStart)
        report(kind: "exact", parameter: "", build: build, memory: memory, recall: recall(found), qps: qps)
    }

    private func benchApproximate(_ backend: ApproximateIndex.Backend, _ gallery: [Float], _ queryRows: [Float], dimension: Int,
                                  threads: Int, recall: ([[SearchHit]]) -> Double) throws {
        let n = gallery.count / dimension
        let ivf = IVFParameters(lists: lists ?? IVFParameters.defaults(count: n).lists, probes: 1)
        let build = backend == .faissIVF ? ApproximateIndex.Build(ivf: ivf, seed: Int(seed))
                                         : ApproximateIndex.Build(hnsw: HNSWParameters(m: m, efConstruction: efConstruction))
        let before = ResidentMemory.bytes()
        let start = Date()
        let index = try ApproximateIndex(backend, dimension: dimension, distance: .cosine, build: build, capacity: n)
        try index.add(gallery, threads: threads)
        let buildSeconds = Date().timeIntervalSince(start)
        let memory = ResidentMemory.bytes() - before
        let efforts = (backend == .faissIVF ? probes : efSearch).split(separator: ",").compactMap { Int($0) }
        let q = queryRows.count / dimension
        for effort in efforts where backend != .faissIVF || effort <= ivf.lists {
            // One query per call, `threads` callers taking the next query as they finish.
            let results = QueryResults(count: q)
            let searchStart = Date()
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for row in stride(from: worker, to: q, by: threads) {
                    let hits = try? index.search(Array(queryRows[(row * dimension)..<((row + 1) * dimension)]), k: k, effort: effort, threads: 1)
                    results.store(hits?.first ?? [], at: row)
                }
            }
            let qps = Double(q) / Date().timeIntervalSince(searchStart)
            let label = backend == .faissIVF ? "lists \(ivf.lists) probes \(effort)" : "m \(m) efC \(efConstruction) ef \(effort)"
            report(kind: backend.rawValue, parameter: label, build: buildSeconds, memory: memory, recall: recall(results.hits), qps: qps)
        }
    }

    private func report(kind: String, parameter: String, build: Double, memory: Int, recall: Double, qps: Double) {
        if json {
            print("{\"kind\": \"\(kind)\", \"parameters\": \"\(parameter)\", \"k\": \(k), \"build_seconds\": \(round(build * 100) / 100), "
                + "\"memory_bytes\": \(memory), \"recall\": \(round(recall * 10000) / 10000), \"qps\": \(round(qps))}")
        } else {
            print(String(format: "%-10@ %-28@ build %7.1f s  memory %7.0f MB  recall@%d %.4f  %8.0f queries/s",
                         kind, parameter, build, Double(memory) / 1e6, k, recall, qps))
        }
    }
}

/// Hits stored by concurrent search threads, one slot per query.
private final class QueryResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var hits: [[SearchHit]]
    init(count: Int) { hits = Array(repeating: [], count: count) }
    func store(_ value: [SearchHit], at row: Int) {
        lock.lock()
        hits[row] = value
        lock.unlock()
    }
}

/// The process's current resident set size, from /proc/self/statm.
enum ResidentMemory {
    static func bytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

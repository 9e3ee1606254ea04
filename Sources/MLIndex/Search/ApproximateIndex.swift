import CANN
import Foundation
import MLEvaluation

/// An approximate nearest-neighbour structure from the `CANN` shim: hnswlib's HNSW, or faiss's HNSW or
/// IVF-flat. Searches may run concurrently; adds may not run beside searches.
///
/// For cosine the caller passes L2-normalised vectors and the structure ranks by inner product; scores
/// come back as the exact search reports them (similarities for cosine and dot, squared distances for l2).
package final class ApproximateIndex: @unchecked Sendable {
    /// The libraries' structures.
    package enum Backend: String, CaseIterable, Sendable {
        case hnswlib
        case faissHNSW = "faiss-hnsw"
        case faissIVF = "faiss-ivf"

        var kind: dml_ann_kind {
            switch self {
            case .hnswlib: DML_ANN_HNSWLIB
            case .faissHNSW: DML_ANN_FAISS_HNSW
            case .faissIVF: DML_ANN_FAISS_IVF
            }
        }
    }

    /// Build parameters: HNSW's `m` and `efConstruction`, IVF's lists (trained on `trainingPoints`).
    package struct Build: Sendable {
        package var m = 32, efConstruction = 200
        package var lists = 1, trainingPoints = 64
        package var seed = 0

        package init(hnsw: HNSWParameters) {
            m = hnsw.m
            efConstruction = hnsw.efConstruction
        }

        package init(ivf: IVFParameters, seed: Int = 0) {
            lists = ivf.lists
            trainingPoints = ivf.trainingPoints
            self.seed = seed
        }
    }

    package let backend: Backend
    package let dimension: Int
    package let distance: SearchDistance
    private let handle: OpaquePointer

    /// An empty structure of `backend` for `dimension`-vectors ranked by `distance`.
    package init(_ backend: Backend, dimension: Int, distance: SearchDistance, build: Build, capacity: Int) throws {
        var parameters = dml_ann_build_parameters(
            m: Int32(build.m), ef_construction: Int32(build.efConstruction), lists: Int32(build.lists),
            training_points: Int64(build.trainingPoints), seed: Int64(build.seed), capacity: Int64(capacity))
        handle = try Self.make("create a \(backend.rawValue) index") { error, size in
            dml_ann_create(backend.kind, Int32(dimension), Self.metric(distance), &parameters, error, size)
        }
        self.backend = backend
        self.dimension = dimension
        self.distance = distance
    }

    /// The structure stored at `url` by `write(to:)`. The file is trusted: the libraries' readers do not
    /// guard against hostile files, so open only indexes you built.
    package init(_ backend: Backend, dimension: Int, distance: SearchDistance, contentsOf url: URL) throws {
        handle = try Self.make("read \(url.path)") { error, size in
            dml_ann_read(backend.kind, Int32(dimension), Self.metric(distance), url.path, error, size)
        }
        self.backend = backend
        self.dimension = dimension
        self.distance = distance
    }

    deinit { dml_ann_free(handle) }

    /// The number of vectors held.
    package var count: Int { Int(dml_ann_count(handle)) }

    /// Adds the rows of `vectors` (n × dimension, row-major) with ids `count`, `count` + 1, … on `threads` threads.
    package func add(_ vectors: [Float], threads: Int) throws {
        precondition(vectors.count % dimension == 0, "\(vectors.count) floats are not whole \(dimension)-vectors")
        let first = Int64(count)
        try Self.check("add \(vectors.count / dimension) vectors") { error, size in
            vectors.withUnsafeBufferPointer {
                dml_ann_add(handle, $0.baseAddress, Int64(vectors.count / dimension), first, Int32(threads), error, size)
            }
        }
    }

    /// The `k` nearest ids and scores of each query row (fewer when the structure finds fewer), at search
    /// effort `effort` (HNSW's ef, IVF's probes), on `threads` threads. Scores are similarities for cosine
    /// and dot, squared distances for l2; each list is ordered nearest first, equal scores by id.
    package func search(_ queries: [Float], k: Int, effort: Int, threads: Int) throws -> [[SearchHit]] {
        let n = queries.count / dimension
        var ids = [Int64](repeating: -1, count: n * k)
        var distances = [Float](repeating: 0, count: n * k)
        try Self.check("search") { error, size in
            queries.withUnsafeBufferPointer { q in
                ids.withUnsafeMutableBufferPointer { i in
                    distances.withUnsafeMutableBufferPointer { d in
                        dml_ann_search(handle, q.baseAddress, Int64(n), Int32(k), Int32(effort), Int32(threads),
                                       i.baseAddress, d.baseAddress, error, size)
                    }
                }
            }
        }
        let complemented = dml_ann_similarity_is_complemented(handle) != 0
        return (0..<n).map { row in
            let hits = (0..<k).compactMap { slot -> SearchHit? in
                let id = ids[row * k + slot]
                guard id >= 0 else { return nil }
                let raw = distances[row * k + slot]
                let score = distance == .l2 ? raw : (complemented ? 1 - raw : raw)
                return SearchHit(id: Int(id), score: score)
            }
            return hits.sorted { distance.isSimilarity ? $0.ranksBefore(bySimilarity: $1) : $0.ranksBefore(byDistance: $1) }
        }
    }

    /// Writes the structure to `url` in its library's format.
    package func write(to url: URL) throws {
        try Self.check("write \(url.path)") { error, size in dml_ann_write(handle, url.path, error, size) }
    }

    private static func metric(_ distance: SearchDistance) -> dml_ann_metric {
        distance == .l2 ? DML_ANN_L2 : DML_ANN_INNER_PRODUCT
    }

    /// Runs a shim call that returns a new index, or NULL with a message; throws that message.
    private static func make(_ what: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> OpaquePointer?) throws -> OpaquePointer {
        var message = [CChar](repeating: 0, count: 512)
        let result = message.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { body($0, buffer.count) } }
        guard let result else { throw failure(what, message) }
        return result
    }

    /// Runs a shim call that returns 0, or −1 with a message; throws that message.
    private static func check(_ what: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var message = [CChar](repeating: 0, count: 512)
        let status = message.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { body($0, buffer.count) } ?? -1 }
        guard status == 0 else { throw failure(what, message) }
    }

    private static func failure(_ what: String, _ message: [CChar]) -> IndexError {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return IndexError(path: "ann", "cannot \(what): \(text)")
    }
}

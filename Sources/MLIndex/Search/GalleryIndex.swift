import Foundation
import MLEngine
import MLEvaluation
import MLFormats

/// A gallery index opened from its directory: the items' embeddings, labels and class names, and the
/// structure that searches them (MLEvaluation's exact search, or an approximate one).
///
/// Searches may run concurrently. Item ids are 0..<count.
public final class GalleryIndex: Sendable {
    /// The directory.
    public let url: URL
    /// What `index.json` says.
    public let manifest: IndexManifest
    /// The items' embeddings as embedded (n × d, not normalised).
    public let embeddings: [Float]
    /// Each item's label (an index into `manifest.classes`).
    public let labels: [Int]
    private let searcher: Searcher

    private enum Searcher: Sendable {
        case exact(ExactSearch.Gallery)
        case approximate(ApproximateIndex, effort: Int)
    }

    /// The manifest file of an index directory.
    public static func manifestURL(in directory: URL) -> URL { directory.appendingPathComponent("index.json") }

    /// Opens the index at `url`, checking its metadata (as untrusted input) and that the data files agree
    /// with it. The approximate structure's file is trusted (see `ApproximateIndex`).
    /// - Throws: `IndexError` naming the file and the problem.
    public init(contentsOf url: URL) throws {
        let manifestURL = Self.manifestURL(in: url)
        guard let bytes = FileManager.default.contents(atPath: manifestURL.path) else {
            throw IndexError(path: url.path, "not an index directory (no readable index.json)")
        }
        let manifest = try IndexManifest.decode([UInt8](bytes), path: manifestURL.path)
        let itemsURL = url.appendingPathComponent(manifest.itemsFile)
        let (embeddings, labels) = try Self.readItems(itemsURL, manifest: manifest)
        self.url = url
        self.manifest = manifest
        self.embeddings = embeddings
        self.labels = labels
        switch manifest.kind {
        case .exact:
            searcher = .exact(try Self.exactGallery(embeddings, manifest: manifest, name: itemsURL.path))
        case .hnsw, .ivf:
            let annURL = url.appendingPathComponent(manifest.annFile)
            let backend: ApproximateIndex.Backend = manifest.kind == .hnsw ? .hnswlib : .faissIVF
            let structure = try ApproximateIndex(backend, dimension: manifest.dimension, distance: manifest.distance, contentsOf: annURL)
            guard structure.count == manifest.count else {
                throw IndexError(path: annURL.path, "holds \(structure.count) vectors, index.json says \(manifest.count)")
            }
            searcher = .approximate(structure, effort: manifest.hnsw?.efSearch ?? manifest.ivf?.probes ?? 1)
        }
    }

    /// The number of items.
    public var count: Int { manifest.count }
    /// The embedding size.
    public var dimension: Int { manifest.dimension }

    /// The class name of item `id`.
    public func className(of id: Int) -> String { manifest.classes[labels[id]] }

    /// Item `id`'s embedding.
    public func embedding(of id: Int) -> ArraySlice<Float> {
        embeddings[(id * dimension)..<((id + 1) * dimension)]
    }

    /// The `k` nearest items of each query row (n × d), nearest first, equal scores to the lower id.
    /// `excluding[i]`, when given, is an item left out of query i's list (a gallery item searching for
    /// its neighbours). Fewer than `k` come back only when the gallery (or an approximate search) has fewer.
    /// - Throws: `IndexError` for a wrong query size, `EvaluationError` for non-finite values.
    public func search(_ queries: [Float], k: Int, excluding: [Int?] = [], threads: Int) throws -> [[SearchHit]] {
        guard queries.count % dimension == 0, !queries.isEmpty else {
            throw IndexError(path: url.path, "a query needs \(dimension) values, got \(queries.count)")
        }
        let n = queries.count / dimension
        precondition(excluding.isEmpty || excluding.count == n, "\(excluding.count) exclusions for \(n) queries")
        guard count > 0 else { return Array(repeating: [], count: n) }
        let wanted = min(count, k + (excluding.contains { $0 != nil } ? 1 : 0))
        let found: [[SearchHit]]
        switch searcher {
        case .exact(let gallery):
            let list = try ExactSearch.neighbors(queries: Tensor(shape: [n, dimension], values: queries), in: gallery, k: wanted)
            found = (0..<n).map { row in
                (0..<wanted).map { SearchHit(id: Int(list.indices[row * wanted + $0]), score: list.values[row * wanted + $0]) }
            }
        case .approximate(let structure, let effort):
            if let (row, column, value) = queries.withUnsafeBufferPointer({ firstNonFinite($0, columns: dimension) }) {
                throw EvaluationError("queries", "query \(row) has a non-finite value \(value) at column \(column)")
            }
            let prepared = manifest.distance == .cosine ? Self.normalized(queries, dimension: dimension) : queries
            found = try structure.search(prepared, k: wanted, effort: max(effort, wanted), threads: threads)
        }
        return found.enumerated().map { row, hits in
            let excluded = excluding.isEmpty ? nil : excluding[row]
            return Array(hits.filter { $0.id != excluded }.prefix(k))
        }
    }

    /// The embeddings and labels of `url`, checked against the manifest.
    static func readItems(_ url: URL, manifest: IndexManifest) throws -> ([Float], [Int]) {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch { throw IndexError(path: url.path, "\(error)") }
        guard let info = file.info("embeddings"), info.dtype == .float32, info.shape == [manifest.count, manifest.dimension] else {
            throw IndexError(path: url.path, "needs an F32 tensor 'embeddings' of shape [\(manifest.count), \(manifest.dimension)]")
        }
        guard let labelInfo = file.info("labels"), labelInfo.dtype == .int64, labelInfo.shape == [manifest.count] else {
            throw IndexError(path: url.path, "needs an I64 tensor 'labels' of shape [\(manifest.count)]")
        }
        let labels = try file.integers(named: "labels")
        if let bad = labels.firstIndex(where: { !manifest.classes.indices.contains($0) }) {
            throw IndexError(path: url.path, "item \(bad) has label \(labels[bad]), but index.json names \(manifest.classes.count) classes")
        }
        return (try file.floats(named: "embeddings"), labels)
    }

    /// The prepared gallery of an exact index.
    static func exactGallery(_ embeddings: [Float], manifest: IndexManifest, name: String) throws -> ExactSearch.Gallery {
        try ExactSearch.Gallery(Tensor(shape: [manifest.count, manifest.dimension], values: embeddings),
                                distance: manifest.distance, name: name)
    }

    /// Each row scaled to unit length (x / max(‖x‖, 1e-12), as the exact search does for cosine).
    package static func normalized(_ rows: [Float], dimension: Int) -> [Float] {
        var result = rows
        for start in stride(from: 0, to: rows.count, by: dimension) {
            var sum: Float = 0
            for i in start..<(start + dimension) { sum += rows[i] * rows[i] }
            let scale = 1 / max(sum.squareRoot(), 1e-12)
            for i in start..<(start + dimension) { result[i] = rows[i] * scale }
        }
        return result
    }
}

extension GalleryIndex {
    /// The source item `id` came from and its position among that source's items.
    public func source(of id: Int) -> (source: ItemSource, position: Int) {
        precondition((0..<count).contains(id), "item \(id) of \(count)")
        var start = 0
        for source in manifest.sources {
            if id < start + source.count { return (source, id - start) }
            start += source.count
        }
        preconditionFailure("the sources hold fewer items than count (validated when opened)")
    }

    /// Where item `id` came from, for people: its path relative to the gallery root, or its dataset split
    /// and position, or the embeddings file and row.
    public func itemDescription(_ id: Int) -> String {
        let (source, position) = source(of: id)
        switch source.kind {
        case .files: return source.paths?[position] ?? ""
        case .dataset: return "\(source.format ?? "") \(source.split ?? "") image \(position)"
        case .vectors: return "\(source.file ?? "") row \(position)"
        }
    }
}

import Foundation
import MLEvaluation
import MLFormats

extension GalleryIndex {
    /// How an index is built: its kind, distance and the approximate structure's parameters.
    public struct Settings: Sendable {
        public var kind: IndexKind
        public var distance: SearchDistance
        public var hnsw: HNSWParameters
        /// IVF's parameters; nil chooses `IVFParameters.defaults(count:)` from the first items.
        public var ivf: IVFParameters?

        public init(kind: IndexKind, distance: SearchDistance = .cosine, hnsw: HNSWParameters = HNSWParameters(),
                    ivf: IVFParameters? = nil) {
            self.kind = kind
            self.distance = distance
            self.hnsw = hnsw
            self.ivf = ivf
        }
    }

    /// Creates an index of `items` in the directory `url`, which must not hold an index already, and
    /// returns its manifest. Structures build on `threads` threads.
    /// - Throws: `IndexError` naming the directory or file; nothing is left behind on failure.
    @discardableResult
    public static func create(at url: URL, settings: Settings, model: ModelIdentity, items: IndexItems,
                              threads: Int) throws -> IndexManifest {
        guard !FileManager.default.fileExists(atPath: manifestURL(in: url).path) else {
            throw IndexError(path: url.path, "already holds an index (add items with dml index add, or choose another directory)")
        }
        guard items.count > 0 else { throw IndexError(path: url.path, "no items to index") }
        let dimension = items.embeddings.count / items.count
        var manifest = IndexManifest(kind: settings.kind, distance: settings.distance, dimension: dimension, model: model,
                                     hnsw: settings.hnsw, ivf: settings.ivf ?? IVFParameters.defaults(count: items.count))
        let labels = manifest.adopt(items)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw IndexError(path: url.path, "cannot create the index directory: \(error.localizedDescription)")
        }
        let structure = try approximateStructure(for: manifest, capacity: items.count)
        try structure?.add(prepared(items.embeddings, manifest), threads: threads)
        try manifest.validate(path: manifestURL(in: url).path)
        try commit(manifest, embeddings: items.embeddings, labels: labels, structure: structure, at: url)
        return manifest
    }

    /// Appends `items` to the index at `url` (ids continue from its count) and returns the new manifest.
    /// Refuses a model whose identity differs from the one that embedded the index.
    /// - Throws: `IndexError`; on failure the index is unchanged.
    @discardableResult
    public static func append(_ items: IndexItems, to url: URL, model: ModelIdentity, threads: Int) throws -> IndexManifest {
        let index = try GalleryIndex(contentsOf: url)
        let differences = index.manifest.model.differences(from: model)
        guard differences.isEmpty else {
            throw IndexError(path: url.path, "the checkpoint is not the model that built this index: " + differences.joined(separator: "; "))
        }
        guard items.embeddings.count == items.count * index.dimension else {
            throw IndexError(path: url.path, "new items have dimension \(items.embeddings.count / max(items.count, 1)), the index \(index.dimension)")
        }
        var manifest = index.manifest
        manifest.generation += 1
        let labels = index.labels + manifest.adopt(items)
        var structure: ApproximateIndex?
        if manifest.kind != .exact {
            let backend: ApproximateIndex.Backend = manifest.kind == .hnsw ? .hnswlib : .faissIVF
            structure = try ApproximateIndex(backend, dimension: manifest.dimension, distance: manifest.distance,
                                             contentsOf: url.appendingPathComponent(index.manifest.annFile))
            try structure?.add(prepared(items.embeddings, manifest), threads: threads)
        }
        try manifest.validate(path: manifestURL(in: url).path)
        try commit(manifest, embeddings: index.embeddings + items.embeddings, labels: labels, structure: structure, at: url)
        return manifest
    }

    /// The empty approximate structure of `manifest`'s kind (nil for exact).
    private static func approximateStructure(for manifest: IndexManifest, capacity: Int) throws -> ApproximateIndex? {
        switch manifest.kind {
        case .exact: return nil
        case .hnsw:
            return try ApproximateIndex(.hnswlib, dimension: manifest.dimension, distance: manifest.distance,
                                        build: .init(hnsw: manifest.hnsw ?? HNSWParameters()), capacity: capacity)
        case .ivf:
            return try ApproximateIndex(.faissIVF, dimension: manifest.dimension, distance: manifest.distance,
                                        build: .init(ivf: manifest.ivf ?? .defaults(count: capacity)), capacity: capacity)
        }
    }

    /// Vectors as the structure stores them: unit length for cosine.
    private static func prepared(_ embeddings: [Float], _ manifest: IndexManifest) -> [Float] {
        manifest.distance == .cosine ? normalized(embeddings, dimension: manifest.dimension) : embeddings
    }

    /// Writes generation `manifest.generation`'s files, then `index.json` (atomically: the commit point),
    /// then removes the other generations' files. Before the commit a failure removes the new files.
    private static func commit(_ manifest: IndexManifest, embeddings: [Float], labels: [Int], structure: ApproximateIndex?,
                               at url: URL) throws {
        let itemsURL = url.appendingPathComponent(manifest.itemsFile), annURL = url.appendingPathComponent(manifest.annFile)
        do {
            var items = SafeTensorsFile(metadata: ["format": IndexManifest.currentFormat], source: itemsURL.path)
            items.add(floats: embeddings, shape: [manifest.count, manifest.dimension], named: "embeddings")
            try items.add(integers: labels, shape: [manifest.count], named: "labels")
            try items.write(to: itemsURL)
            try structure?.write(to: annURL)
            try AtomicFile.write(try manifest.encoded(), to: manifestURL(in: url))
        } catch {
            try? FileManager.default.removeItem(at: itemsURL)
            try? FileManager.default.removeItem(at: annURL)
            throw error as? IndexError ?? IndexError(path: url.path, "cannot write the index: \(error)")
        }
        let current: Set = [manifest.itemsFile, manifest.annFile]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        where (name.hasPrefix("items.") || name.hasPrefix("ann.")) && !current.contains(name) {
            try? FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
    }
}

extension IndexManifest {
    /// Records `items`: their source, the count, and any class names not yet known; returns their labels.
    mutating func adopt(_ items: IndexItems) -> [Int] {
        var known = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let labels = items.classNames.map { name in
            if let label = known[name] { return label }
            classes.append(name)
            known[name] = classes.count - 1
            return classes.count - 1
        }
        sources.append(items.source)
        count += items.count
        return labels
    }
}

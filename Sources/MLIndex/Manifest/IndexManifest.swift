import Foundation
import MLEvaluation

/// An index directory's `index.json`: what the index holds and how to read its other files.
///
/// The directory holds, for generation g, `items.g.safetensors` (`embeddings` n × d F32, `labels` n I64)
/// and for approximate kinds `ann.g.bin` (the library's own file). A change writes the next generation's
/// files first and then replaces `index.json` atomically, so a failed `dml index add` leaves the index as
/// it was. Item ids are positions 0..<count, in the order of `sources`.
public struct IndexManifest: Codable, Sendable, Equatable {
    /// The format tag of this version.
    public static let currentFormat = "dml-index-1"
    /// Bounds that keep a hostile file from asking for absurd allocations.
    static let maxDimension = 65_536
    static let maxCount = Int(Int32.max)
    static let maxNameBytes = 4_096

    public var format: String
    public var kind: IndexKind
    public var distance: SearchDistance
    public var dimension: Int
    public var count: Int
    /// Increases with every change; names the data files.
    public var generation: Int
    /// The model that embedded the items.
    public var model: ModelIdentity
    /// Class names; an item's label indexes this list.
    public var classes: [String]
    /// The items' sources, in id order.
    public var sources: [ItemSource]
    /// HNSW's parameters (kind hnsw only).
    public var hnsw: HNSWParameters?
    /// IVF's parameters (kind ivf only).
    public var ivf: IVFParameters?

    /// A manifest of generation 1 with no items yet.
    public init(kind: IndexKind, distance: SearchDistance, dimension: Int, model: ModelIdentity,
                hnsw: HNSWParameters? = nil, ivf: IVFParameters? = nil) {
        format = Self.currentFormat
        self.kind = kind
        self.distance = distance
        self.dimension = dimension
        count = 0
        generation = 1
        self.model = model
        classes = []
        sources = []
        self.hnsw = kind == .hnsw ? hnsw ?? HNSWParameters() : nil
        self.ivf = kind == .ivf ? ivf : nil
    }

    /// The items file of this generation.
    public var itemsFile: String { "items.\(generation).safetensors" }
    /// The approximate structure's file of this generation (hnsw and ivf).
    public var annFile: String { "ann.\(generation).bin" }

    enum CodingKeys: String, CodingKey {
        case format, kind, distance, dimension, count, generation, model, classes, sources, hnsw, ivf
    }

    /// The manifest as written to `index.json` (sorted keys, so equal manifests give equal bytes).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Parses and validates `index.json`'s bytes; `path` names the file in errors.
    ///
    /// A pure function of the bytes (no file access), so it can be fuzzed. Everything later code relies
    /// on is checked: the format tag, known kinds and distances, positive sizes within bounds, the model
    /// identity's shape, item counts that add up, relative gallery paths that stay inside their root,
    /// and parameters that match the kind.
    /// - Throws: `IndexError` naming `path`, the field and the problem.
    public static func decode(_ bytes: [UInt8], path: String) throws -> IndexManifest {
        let manifest: IndexManifest
        do {
            manifest = try JSONDecoder().decode(IndexManifest.self, from: Data(bytes))
        } catch let DecodingError.dataCorrupted(context) {
            throw IndexError(path: path, field: fieldName(context.codingPath), "not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw IndexError(path: path, field: fieldName(context.codingPath + [key]), "missing")
        } catch let DecodingError.typeMismatch(_, context) {
            throw IndexError(path: path, field: fieldName(context.codingPath), context.debugDescription)
        } catch let DecodingError.valueNotFound(_, context) {
            throw IndexError(path: path, field: fieldName(context.codingPath), "is null")
        } catch {
            throw IndexError(path: path, "cannot be read as an index manifest: \(error)")
        }
        try manifest.validate(path: path)
        return manifest
    }

    /// Checks the invariants `decode` promises; throws the first violation.
    public func validate(path: String) throws {
        func fail(_ field: String, _ reason: String) -> IndexError { IndexError(path: path, field: field, reason) }
        guard format == Self.currentFormat else { throw fail("format", "'\(format)' is not \(Self.currentFormat)") }
        guard (1...Self.maxDimension).contains(dimension) else {
            throw fail("dimension", "\(dimension) is outside 1...\(Self.maxDimension)")
        }
        guard (0...Self.maxCount).contains(count) else { throw fail("count", "\(count) is outside 0...\(Self.maxCount)") }
        guard generation >= 1 else { throw fail("generation", "\(generation) is not positive") }
        try validateModel(fail)
        for (i, name) in classes.enumerated() where name.isEmpty || name.utf8.count > Self.maxNameBytes {
            throw fail("classes[\(i)]", "a class name must have 1 to \(Self.maxNameBytes) bytes")
        }
        var total = 0
        for (i, source) in sources.enumerated() {
            try Self.validate(source, field: "sources[\(i)]", fail)
            total += source.count
            guard total <= count else { throw fail("sources", "the sources hold more items than count \(count)") }
        }
        guard total == count else { throw fail("sources", "the sources hold \(total) items, count says \(count)") }
        switch kind {
        case .exact:
            guard hnsw == nil, ivf == nil else { throw fail("kind", "an exact index has no hnsw or ivf parameters") }
        case .hnsw:
            guard let hnsw, ivf == nil else { throw fail("hnsw", "an hnsw index needs hnsw parameters (and no ivf ones)") }
            guard (2...256).contains(hnsw.m) else { throw fail("hnsw.m", "\(hnsw.m) is outside 2...256") }
            guard (1...100_000).contains(hnsw.efConstruction) else {
                throw fail("hnsw.ef_construction", "\(hnsw.efConstruction) is outside 1...100000")
            }
            guard (1...100_000).contains(hnsw.efSearch) else { throw fail("hnsw.ef_search", "\(hnsw.efSearch) is outside 1...100000") }
        case .ivf:
            guard let ivf, hnsw == nil else { throw fail("ivf", "an ivf index needs ivf parameters (and no hnsw ones)") }
            guard (1...1_000_000).contains(ivf.lists) else { throw fail("ivf.lists", "\(ivf.lists) is outside 1...1000000") }
            guard (1...ivf.lists).contains(ivf.probes) else { throw fail("ivf.probes", "\(ivf.probes) is outside 1...\(ivf.lists)") }
        }
    }

    private func validateModel(_ fail: (String, String) -> IndexError) throws {
        let hex = Set("0123456789abcdef")
        guard model.checkpointCRC32.count == 8, model.checkpointCRC32.allSatisfy(hex.contains) else {
            throw fail("model.checkpoint_crc32", "'\(model.checkpointCRC32)' is not 8 lowercase hexadecimal digits")
        }
        guard !model.transforms.isEmpty, model.transforms.utf8.count <= 64 else {
            throw fail("model.transforms", "a preset name must have 1 to 64 bytes")
        }
        guard (1...8192).contains(model.imageSize) else { throw fail("model.image_size", "\(model.imageSize) is outside 1...8192") }
        guard model.mean.count == 3, model.mean.allSatisfy(\.isFinite) else {
            throw fail("model.mean", "needs 3 finite values, has \(model.mean)")
        }
        guard model.std.count == 3, model.std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw fail("model.std", "needs 3 finite positive values, has \(model.std)")
        }
    }

    private static func validate(_ source: ItemSource, field: String, _ fail: (String, String) -> IndexError) throws {
        guard source.count >= 0 else { throw fail("\(field).count", "\(source.count) is negative") }
        func required(_ value: String?, _ name: String) throws -> String {
            guard let value, !value.isEmpty, value.utf8.count <= maxNameBytes, !value.contains("\0") else {
                throw fail("\(field).\(name)", "a \(source.kind.rawValue) source needs a \(name) of 1 to \(maxNameBytes) bytes without NUL")
            }
            return value
        }
        switch source.kind {
        case .files:
            let root = try required(source.root, "root")
            guard root.utf8.first == UInt8(ascii: "/") else { throw fail("\(field).root", "'\(root)' is not an absolute path") }
            guard let paths = source.paths, paths.count == source.count else {
                throw fail("\(field).paths", "a files source needs one path per item (\(source.count))")
            }
            for (i, path) in paths.enumerated() {
                if let problem = GalleryPath.problem(path) { throw fail("\(field).paths[\(i)]", problem) }
            }
        case .dataset:
            let root = try required(source.root, "root")
            guard root.utf8.first == UInt8(ascii: "/") else { throw fail("\(field).root", "'\(root)' is not an absolute path") }
            _ = try required(source.format, "format")
            _ = try required(source.split, "split")
            guard source.paths == nil else { throw fail("\(field).paths", "a dataset source has no paths") }
        case .vectors:
            guard source.paths == nil else { throw fail("\(field).paths", "a vectors source has no paths") }
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String? {
        guard !path.isEmpty else { return nil }
        return path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}

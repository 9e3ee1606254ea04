/// Where a run of consecutive index items came from (one `dml index build` or `dml index add`), which
/// says how their images are served.
public struct ItemSource: Codable, Sendable, Equatable {
    /// The kinds of source.
    public enum Kind: String, Codable, Sendable {
        /// Image files: `paths` relative to `root`, served from there.
        case files
        /// A dataset split held in memory (Fashion-MNIST): item i is image i of `split`, rendered as PNG.
        case dataset
        /// Embeddings from a file without images: nothing to serve.
        case vectors
    }

    public var kind: Kind
    /// The number of items.
    public var count: Int
    /// The gallery root (files) or dataset folder (dataset), an absolute path.
    public var root: String?
    /// One path per item, relative to `root` (files).
    public var paths: [String]?
    /// The dataset format and split (dataset).
    public var format: String?
    public var split: String?
    /// The embeddings file the vectors were read from (vectors; for `dml index info`).
    public var file: String?

    /// Image files under `root`.
    public static func files(root: String, paths: [String]) -> ItemSource {
        ItemSource(kind: .files, count: paths.count, root: root, paths: paths)
    }

    /// `count` images of a dataset split held in memory.
    public static func dataset(format: String, root: String, split: String, count: Int) -> ItemSource {
        ItemSource(kind: .dataset, count: count, root: root, format: format, split: split)
    }

    /// `count` vectors of an embeddings file.
    public static func vectors(file: String, count: Int) -> ItemSource {
        ItemSource(kind: .vectors, count: count, file: file)
    }
}

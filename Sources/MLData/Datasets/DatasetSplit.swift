import Foundation
import MLFormats

/// One split of a dataset (train, test, query or gallery): images and their class labels.
///
/// Labels are contiguous from 0 within a split (query and gallery share one numbering), in the order of
/// the dataset's own class ids, so a classifier over a training split has exactly `classCount` outputs.
public struct DatasetSplit: Sendable {
    /// The split's name: "train", "test", "query", "gallery" (or a list file's name).
    public let name: String
    /// Each image's class, 0..<classCount.
    public let labels: [Int]
    /// Where the images come from.
    public let source: ImageSource
    /// Each label's class name, when the dataset names its classes (Fashion-MNIST's ten, an image
    /// folder's subfolders, CUB's `classes.txt`); nil otherwise.
    public let classNames: [String]?

    /// A split of `labels.count` images from `source`, with one name per label when `classNames` is given.
    public init(name: String, labels: [Int], source: ImageSource, classNames: [String]? = nil) {
        precondition(classNames.map { names in labels.allSatisfy { names.indices.contains($0) } } ?? true,
                     "split '\(name)': \(classNames?.count ?? 0) class names do not cover labels up to \(labels.max() ?? 0)")
        self.name = name
        self.labels = labels
        self.source = source
        self.classNames = classNames
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// The number of distinct classes.
    public var classCount: Int { Set(labels).count }

    /// The name of class `label`: the dataset's own, or "class N" when it has none.
    public func className(of label: Int) -> String {
        classNames.flatMap { $0.indices.contains(label) ? $0[label] : nil } ?? "class \(label)"
    }

    /// The file of image `index`, or nil for images held in memory.
    public func file(at index: Int) -> URL? {
        switch source {
        case .files(let root, let paths), .preloaded(let root, let paths, _), .decoded(let root, let paths, _):
            root.appendingPathComponent(paths[index])
        case .grey: nil
        }
    }

    /// How errors name image `index`: its path, or the split and index for in-memory images.
    public func describe(_ index: Int) -> String {
        file(at: index)?.path ?? "\(name) image \(index)"
    }

    /// Image `index`'s raw input (reading the file unless it is preloaded).
    ///
    /// - Throws: `DataFileError` naming the file when it cannot be read.
    public func input(at index: Int) throws -> SampleInput {
        switch source {
        case .files(let root, let paths):
            let url = root.appendingPathComponent(paths[index])
            guard let bytes = try? FileBytes.read(url.path) else {
                throw DataFileError(path: url.path, "image file not found or unreadable")
            }
            return .encoded(bytes: bytes, path: url.path)
        case .preloaded(_, _, let contents):
            return .encoded(bytes: contents[index], path: describe(index))
        case .decoded(_, _, let images):
            return .decoded(images[index])
        case .grey(let images):
            return .grey(width: images.width, height: images.height, pixels: images[index])
        }
    }

    /// The listed files that do not exist (empty for in-memory images).
    public func missingFiles() -> [URL] {
        (0..<count).compactMap { file(at: $0) }.filter { !FileManager.default.fileExists(atPath: $0.path) }
    }
}

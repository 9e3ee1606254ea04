import Foundation
import MLFormats

/// A dataset on disk (or in memory), read into its splits following DESIGN §4's protocols.
///
/// Loading reads only the annotation files; it never writes into the dataset's folder and does not touch
/// the images (`DatasetSplit.missingFiles()` checks them).
public struct Dataset: Sendable {
    /// The layout it was read from.
    public let format: DatasetFormat
    /// The folder (or list file) it was read from.
    public let root: URL
    /// Its splits, training split first.
    public let splits: [DatasetSplit]

    /// A dataset of `splits` read from `root` in `format`.
    public init(format: DatasetFormat, root: URL, splits: [DatasetSplit]) {
        self.format = format
        self.root = root
        self.splits = splits
    }

    /// Reads the dataset at `root` in `format` (Fashion-MNIST: Debian's folder when `root` is nil).
    ///
    /// - Throws: `DataFileError` naming the missing or malformed file (and line).
    public static func load(_ format: DatasetFormat, at root: URL?) throws -> Dataset {
        if format == .fashionMNIST { return try FashionMNIST.load(at: root ?? FashionMNIST.defaultDirectory) }
        guard let root else { throw DataFileError(path: "(none)", "the \(format.rawValue) format needs a dataset path") }
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw DataFileError(path: root.path, "dataset folder not found")
        }
        switch format {
        case .cub: return try CUB200.load(at: root)
        case .cars: return try Cars196.load(at: root)
        case .sop: return try StanfordOnlineProducts.load(at: root)
        case .inshop: return try InShop.load(at: root)
        case .list: return try LabeledList.load(at: root)
        case .folder: return try ImageFolder.load(at: root)
        case .fashionMNIST: return try FashionMNIST.load(at: root)
        }
    }

    /// The split called `name`.
    ///
    /// - Throws: `DataFileError` listing the splits there are.
    public func split(_ name: String) throws -> DatasetSplit {
        guard let split = splits.first(where: { $0.name == name }) else {
            throw DataFileError(path: root.path, "no '\(name)' split (has \(splits.map(\.name)))")
        }
        return split
    }
}

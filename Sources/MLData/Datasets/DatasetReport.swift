import Foundation

/// What `dml datasets inspect` shows: each split's classes and images beside the complete dataset's
/// (DESIGN §4), and the listed files that do not exist.
public struct DatasetReport: Sendable {
    /// One split's findings.
    public struct Split: Sendable {
        public let name: String
        public let classes: Int
        public let images: Int
        /// The complete dataset's size of this split, when the format has one.
        public let expected: DatasetFormat.SplitSize?
        /// Listed image files that are not on disk.
        public let missingFiles: [URL]

        /// Whether the counts equal the complete dataset's (true when there is nothing to compare with).
        public var matchesExpected: Bool {
            expected.map { $0 == DatasetFormat.SplitSize(classes: classes, images: images) } ?? true
        }
    }

    /// The splits, in the dataset's order.
    public let splits: [Split]

    /// Checks every split of `dataset` (stats every listed file).
    public init(_ dataset: Dataset) {
        let expected = dataset.format.expectedSizes
        splits = dataset.splits.map {
            Split(name: $0.name, classes: $0.classCount, images: $0.count, expected: expected[$0.name],
                  missingFiles: $0.missingFiles())
        }
    }

    /// Whether every split has its expected counts and no file is missing.
    public var isComplete: Bool { splits.allSatisfy { $0.matchesExpected && $0.missingFiles.isEmpty } }
}

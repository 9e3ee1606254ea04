/// The dataset layouts the package reads, with the split sizes of the complete datasets (DESIGN §4).
public enum DatasetFormat: String, CaseIterable, Codable, Sendable {
    case cub, cars, sop, inshop, list, folder
    case fashionMNIST = "fashion-mnist"

    /// Classes and images of one split.
    public struct SplitSize: Sendable, Equatable {
        public let classes: Int
        public let images: Int

        public init(classes: Int, images: Int) {
            self.classes = classes
            self.images = images
        }
    }

    /// The complete dataset's split sizes by split name (empty for list files and image folders).
    public var expectedSizes: [String: SplitSize] {
        switch self {
        case .cub: ["train": SplitSize(classes: 100, images: 5_864), "test": SplitSize(classes: 100, images: 5_924)]
        case .cars: ["train": SplitSize(classes: 98, images: 8_054), "test": SplitSize(classes: 98, images: 8_131)]
        case .sop: ["train": SplitSize(classes: 11_318, images: 59_551), "test": SplitSize(classes: 11_316, images: 60_502)]
        case .inshop: ["train": SplitSize(classes: 3_997, images: 25_882), "query": SplitSize(classes: 3_985, images: 14_218),
                       "gallery": SplitSize(classes: 3_985, images: 12_612)]
        case .fashionMNIST: ["train": SplitSize(classes: 5, images: 30_000), "test": SplitSize(classes: 5, images: 5_000),
                             "all": SplitSize(classes: 10, images: 70_000)]
        case .list, .folder: [:]
        }
    }
}

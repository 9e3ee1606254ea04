import Foundation
import MLData

extension FuzzTarget {
    /// CUB-200-2011: `images.txt`, then `image_class_labels.txt`.
    static let cub = dataset("cub", .cub, files: ["images.txt", "image_class_labels.txt"])
    /// Cars196's original layout: `cars_annos.mat`.
    static let cars = dataset("cars", .cars, files: ["cars_annos.mat"])
    /// Stanford Online Products: `Ebay_train.txt`, then `Ebay_test.txt`.
    static let sop = dataset("sop", .sop, files: ["Ebay_train.txt", "Ebay_test.txt"])
    /// In-Shop: `list_eval_partition.txt`.
    static let inshop = dataset("inshop", .inshop, files: ["list_eval_partition.txt"])
    /// List files: `train.txt`, `test.txt`; with a third part, In-Shop's `test_query.txt` and `test_gallery.txt`.
    static let list = dataset("list", .list, files: ["train.txt", "test.txt", "test_gallery.txt"]) { files in
        files[2].1.isEmpty ? Array(files.prefix(2)) : [files[0], ("test_query.txt", files[1].1), files[2]]
    }

    /// A target writing the input's parts (cut at "\n====\n") as `files` of a dataset folder and loading
    /// it in `format`. Every image path of every split must lie inside the folder.
    private static func dataset(_ name: String, _ format: DatasetFormat, files: [String],
                                arrange: @escaping @Sendable ([(String, [UInt8])]) -> [(String, [UInt8])] = { $0 }) -> FuzzTarget {
        FuzzTarget(name) { bytes in
            let root = try ScratchFolder.holding(arrange(Array(Swift.zip(files, parts(bytes, count: files.count)))))
            let dataset = try Dataset.load(format, at: root)
            // Compared as bytes, as the file system compares paths (not as Swift characters).
            let prefix = Array((root.standardizedFileURL.path + "/").utf8)
            for split in dataset.splits {
                for index in 0..<split.count {
                    guard let file = split.file(at: index), file.standardizedFileURL.path.utf8.starts(with: prefix) else {
                        fatalError("\(split.name) image \(index) lies outside the dataset folder: \(split.describe(index))")
                    }
                }
            }
            _ = DatasetReport(dataset).isComplete
        }
    }
}

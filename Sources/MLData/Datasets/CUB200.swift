import Foundation

/// CUB-200-2011: `images.txt` (`<id> <path under images/>`), `image_class_labels.txt` (`<id> <class 1..200>`).
/// Train on classes 1–100, test on 101–200.
enum CUB200 {
    static func load(at root: URL) throws -> Dataset {
        let images = try AnnotationText(root.appendingPathComponent("images.txt"), role: "CUB-200-2011 image list")
        let classes = try AnnotationText(root.appendingPathComponent("image_class_labels.txt"),
                                         role: "CUB-200-2011 class labels")
        var paths: [Int: String] = [:]
        for line in images.lines {
            let fields = try images.fields(line, count: 2, format: "<image id> <relative path>")
            paths[try images.integer(fields[0], in: 1...Int.max, line: line, name: "image id")] = try images.imagePath(fields[1], line: line)
        }
        var train: [(String, Int)] = [], test: [(String, Int)] = []
        for line in classes.lines {
            let fields = try classes.fields(line, count: 2, format: "<image id> <class id>")
            let id = try classes.integer(fields[0], in: 1...Int.max, line: line, name: "image id")
            let label = try classes.integer(fields[1], in: 1...200, line: line, name: "class id")
            guard let path = paths[id] else { throw classes.error(line, "image id \(id) is not in images.txt") }
            if label <= 100 { train.append(("images/" + path, label)) } else { test.append(("images/" + path, label)) }
        }
        return Dataset(format: .cub, root: root, splits: [
            DatasetSplit(files: train, root: root, name: "train"),
            DatasetSplit(files: test, root: root, name: "test"),
        ])
    }
}

extension DatasetSplit {
    /// A split of image files (paths relative to `root`) whose class ids are renumbered from 0.
    init<ID: Hashable & Comparable>(files: [(String, ID)], root: URL, name: String) {
        self.init(name: name, labels: ContiguousLabels.of(files.map(\.1)),
                  source: .files(root: root, paths: files.map(\.0)))
    }
}

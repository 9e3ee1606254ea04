import Foundation

/// CUB-200-2011: `images.txt` (`<id> <path under images/>`), `image_class_labels.txt` (`<id> <class 1..200>`).
/// Train on classes 1–100, test on 101–200. Class names come from `classes.txt` (`<class id> <NNN.Name_words>`)
/// when it is there, shown without the number and with spaces ("Black footed Albatross").
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
        let names = try classNames(root.appendingPathComponent("classes.txt"))
        let name = names.map { names in { (id: Int) in names[id] ?? "class \(id)" } }
        return Dataset(format: .cub, root: root, splits: [
            DatasetSplit(files: train, root: root, name: "train", className: name),
            DatasetSplit(files: test, root: root, name: "test", className: name),
        ])
    }

    /// The class names of `classes.txt` by class id, or nil when the file is absent.
    private static func classNames(_ url: URL) throws -> [Int: String]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let text = try AnnotationText(url, role: "CUB-200-2011 class names")
        var names: [Int: String] = [:]
        for line in text.lines {
            let fields = try text.fields(line, count: 2, format: "<class id> <class name>")
            let id = try text.integer(fields[0], in: 1...200, line: line, name: "class id")
            let raw = fields[1]
            let words = raw.firstIndex(of: ".").map { raw[raw.index(after: $0)...] } ?? raw
            names[id] = words.replacingOccurrences(of: "_", with: " ")
        }
        return names
    }
}

extension DatasetSplit {
    /// A split of image files (paths relative to `root`) whose class ids are renumbered from 0, each
    /// class named by `className` when given.
    init<ID: Hashable & Comparable>(files: [(String, ID)], root: URL, name: String, className: ((ID) -> String)? = nil) {
        self.init(name: name, labels: ContiguousLabels.of(files.map(\.1)),
                  source: .files(root: root, paths: files.map(\.0)),
                  classNames: className.map { ContiguousLabels.names(files.map(\.1), $0) })
    }
}

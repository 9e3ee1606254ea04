import Foundation

/// The authors' list files: one `relative/path,label` per line, paths relative to the list's folder.
///
/// The path is a folder holding `train.txt` and `test.txt` (or `test_query.txt` and `test_gallery.txt`,
/// In-Shop's lists), or one list file, read as a single split named after it.
enum LabeledList {
    static func load(at root: URL) throws -> Dataset {
        guard root.isExistingFolder else {
            let name = root.deletingPathExtension().lastPathComponent
            return Dataset(format: .list, root: root, splits: [try split(name, root, folder: root.deletingLastPathComponent())])
        }
        let inShopQuery = root.appendingPathComponent("test_query.txt")
        if FileManager.default.fileExists(atPath: inShopQuery.path) {
            let train = try split("train", root.appendingPathComponent("train.txt"), folder: root)
            let query = try read(inShopQuery)
            let gallery = try read(root.appendingPathComponent("test_gallery.txt"))
            let shared = ContiguousLabels.shared([query.map(\.1), gallery.map(\.1)])
            return Dataset(format: .list, root: root, splits: [
                train,
                DatasetSplit(name: "query", labels: shared[0], source: .files(root: root, paths: query.map(\.0))),
                DatasetSplit(name: "gallery", labels: shared[1], source: .files(root: root, paths: gallery.map(\.0))),
            ])
        }
        return Dataset(format: .list, root: root, splits: try ["train", "test"].map {
            try split($0, root.appendingPathComponent("\($0).txt"), folder: root)
        })
    }

    private static func split(_ name: String, _ list: URL, folder: URL) throws -> DatasetSplit {
        DatasetSplit(files: try read(list), root: folder, name: name)
    }

    /// The (path, label) pairs of one list file; the label follows the last comma.
    private static func read(_ url: URL) throws -> [(String, Int)] {
        let text = try AnnotationText(url, role: "list file ('path,label' per line)")
        return try text.lines.map { line in
            guard let comma = line.text.lastIndex(of: ","), comma != line.text.startIndex else {
                throw text.error(line, "expected 'relative/path,label', found '\(line.text)'")
            }
            let label = line.text[line.text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            return (try text.imagePath(line.text[..<comma], line: line),
                    try text.integer(Substring(label), in: 0...Int.max, line: line, name: "label"))
        }
    }
}

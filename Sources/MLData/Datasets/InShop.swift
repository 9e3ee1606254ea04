import Foundation
import MLFormats

/// In-Shop Clothes Retrieval: `list_eval_partition.txt` (a count, a header, then `image_name item_id
/// evaluation_status` rows with status train/query/gallery). Query and gallery share one label numbering.
enum InShop {
    static func load(at root: URL) throws -> Dataset {
        let text = try AnnotationText(root.appendingPathComponent("list_eval_partition.txt"),
                                      role: "In-Shop evaluation partition")
        guard let countLine = text.lines.first, let declared = Int(countLine.text.trimmingCharacters(in: .whitespaces)) else {
            throw DataFileError(path: text.url.path, line: 1, "expected the number of images on the first line")
        }
        let rows = text.lines.dropFirst(2)
        guard rows.count == declared else {
            throw DataFileError(path: text.url.path, "line 1 announces \(declared) images, the file lists \(rows.count)")
        }
        var parts: [String: [(String, String)]] = ["train": [], "query": [], "gallery": []]
        for line in rows {
            let fields = try text.fields(line, count: 3, format: "<image_name> <item_id> <evaluation_status>")
            let status = String(fields[2])
            guard parts[status] != nil else {
                throw text.error(line, "evaluation_status '\(status)' is not train, query or gallery")
            }
            parts[status, default: []].append((try text.imagePath(fields[0], line: line), String(fields[1])))
        }
        let train = parts["train", default: []], query = parts["query", default: []], gallery = parts["gallery", default: []]
        let shared = ContiguousLabels.shared([query.map(\.1), gallery.map(\.1)])
        return Dataset(format: .inshop, root: root, splits: [
            DatasetSplit(files: train, root: root, name: "train"),
            DatasetSplit(name: "query", labels: shared[0], source: .files(root: root, paths: query.map(\.0))),
            DatasetSplit(name: "gallery", labels: shared[1], source: .files(root: root, paths: gallery.map(\.0))),
        ])
    }
}

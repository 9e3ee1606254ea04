import Foundation
import MLFormats

/// Stanford Online Products: `Ebay_train.txt` / `Ebay_test.txt`, header `image_id class_id super_class_id path`.
enum StanfordOnlineProducts {
    static func load(at root: URL) throws -> Dataset {
        let splits = try [("train", "Ebay_train.txt"), ("test", "Ebay_test.txt")].map { name, file in
            let text = try AnnotationText(root.appendingPathComponent(file), role: "Stanford Online Products \(name) list")
            guard let header = text.lines.first, header.fields.first == "image_id" else {
                throw DataFileError(path: text.url.path, line: text.lines.first?.number,
                                    "expected the header 'image_id class_id super_class_id path' first")
            }
            let images = try text.lines.dropFirst().map { line -> (String, Int) in
                let fields = try text.fields(line, count: 4, format: "<image_id> <class_id> <super_class_id> <path>")
                return (try text.imagePath(fields[3], line: line), try text.integer(fields[1], in: 1...Int.max, line: line, name: "class_id"))
            }
            return DatasetSplit(files: images, root: root, name: name)
        }
        return Dataset(format: .sop, root: root, splits: splits)
    }
}

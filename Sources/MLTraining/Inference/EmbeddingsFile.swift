import Foundation
import MLEvaluation
import MLFormats

/// Embeddings files (DESIGN §6): safetensors with `embeddings` (n × d, F32) and `labels` (n, I64), the
/// image paths as a JSON list in the `__metadata__` entry `paths` and, when the dataset names its classes,
/// each label's name as a JSON list in `classes`. `LabeledEmbeddings(contentsOf:)` reads the tensors back;
/// `paths(in:)` the paths, `classNames(in:)` the names.
public enum EmbeddingsFile {
    /// Writes `embeddings` with one path per row (and the name of each label, if given) to `url`, atomically.
    public static func write(_ embeddings: LabeledEmbeddings, paths: [String], classNames: [String]? = nil, to url: URL) throws {
        precondition(paths.count == embeddings.count, "\(paths.count) paths for \(embeddings.count) embeddings")
        var metadata = ["paths": String(decoding: try JSONEncoder().encode(paths), as: UTF8.self)]
        if let classNames { metadata["classes"] = String(decoding: try JSONEncoder().encode(classNames), as: UTF8.self) }
        var file = SafeTensorsFile(metadata: metadata, source: url.path)
        file.add(embeddings.values, named: "embeddings")
        try file.add(integers: embeddings.labels, named: "labels")
        try file.write(to: url)
    }

    /// The image paths stored in the embeddings file at `url` (one per row).
    public static func paths(in url: URL) throws -> [String] {
        let file = try SafeTensorsFile(contentsOf: url)
        guard let text = file.metadata["paths"],
              let paths = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw TrainingError.invalidRun("\(url.path): no JSON list of image paths in the metadata entry 'paths'")
        }
        return paths
    }

    /// The class names stored in the embeddings file at `url` (label i's name at i), or nil when it has none.
    public static func classNames(in url: URL) throws -> [String]? {
        let file = try SafeTensorsFile(contentsOf: url)
        guard let text = file.metadata["classes"] else { return nil }
        guard let names = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw TrainingError.invalidRun("\(url.path): the metadata entry 'classes' is not a JSON list of names")
        }
        return names
    }
}

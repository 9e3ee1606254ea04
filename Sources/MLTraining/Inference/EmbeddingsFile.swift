import Foundation
import MLEvaluation
import MLFormats

/// Embeddings files (DESIGN §6): safetensors with `embeddings` (n × d, F32) and `labels` (n, I64), the
/// image paths as a JSON list in the `__metadata__` entry `paths`. `LabeledEmbeddings(contentsOf:)` reads
/// the tensors back; `paths(in:)` the paths.
public enum EmbeddingsFile {
    /// Writes `embeddings` with one path per row to `url`, atomically.
    public static func write(_ embeddings: LabeledEmbeddings, paths: [String], to url: URL) throws {
        precondition(paths.count == embeddings.count, "\(paths.count) paths for \(embeddings.count) embeddings")
        let pathList = String(decoding: try JSONEncoder().encode(paths), as: UTF8.self)
        var file = SafeTensorsFile(metadata: ["paths": pathList], source: url.path)
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
}

import ArgumentParser
import Foundation
import MetricLearning
import MLIndex

/// `dml search`: the gallery images nearest to a query image under a checkpoint's model, from an
/// embeddings file (exact search) or an index directory (its own kind of search).
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the nearest gallery images (from dml embed or dml index build) to a query image.")

    @Option(help: "A checkpoint written by dml train.")
    var checkpoint: String
    @Option(help: "An embeddings file written by dml embed with the same checkpoint.")
    var gallery: String?
    @Option(help: "An index directory written by dml index build with the same checkpoint.")
    var index: String?
    @Option(help: "The query image (JPEG or PNG).")
    var image: String
    @Option(name: .short, help: "Neighbours to show.")
    var k: Int = 10
    @Option(help: "cosine, l2 or dot (embeddings files; an index has its own).")
    var distance: String = "cosine"
    @Option(help: "Arithmetic of the model: fp32 or bf16 (default: the precision the run trained in; use the gallery's).")
    var precision: Precision?
    @Flag(help: "Print JSON: each neighbour's rank, id, label, class and score at full precision.")
    var json = false

    /// One neighbour found.
    struct Row: Encodable {
        let rank: Int
        let id: Int
        let label: Int
        let `class`: String
        let score: Float
        let path: String
    }

    func run() throws {
        guard (gallery == nil) != (index == nil) else { throw ValidationError("give either --gallery FILE or --index DIR") }
        let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
        let decoded = try ImageDecoder().decode(contentsOf: image)
        var generator = SeededGenerator(seed: 0)
        let input = saved.transforms.test().tensor(from: decoded, using: &generator)
        let query = try saved.makeModel(precision: precision).forward(input.reshaped([1] + input.shape), training: false)
        let (rows, similarity) = try index.map { try searchIndex($0, query: query.scalars, saved) }
            ?? searchEmbeddings(query: query)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        print("rank  \(similarity ? "similarity" : "distance²")     id  class               path")
        for row in rows {
            print(String(format: "%4d  %10.4f  %5d  ", row.rank, row.score, row.id)
                  + row.class.padding(toLength: max(18, row.class.count), withPad: " ", startingAt: 0) + "  " + row.path)
        }
    }

    private func searchEmbeddings(query: Tensor) throws -> ([Row], Bool) {
        guard let metric = SearchDistance(rawValue: distance) else {
            throw ValidationError("unknown distance '\(distance)'; valid: cosine, l2, dot")
        }
        let galleryURL = URL(fileURLWithPath: gallery ?? "")
        let items = try LabeledEmbeddings(contentsOf: galleryURL)
        let paths = try EmbeddingsFile.paths(in: galleryURL)
        let names = try EmbeddingsFile.classNames(in: galleryURL)
        let neighbors = try ExactSearch.neighbors(queries: query, gallery: items.values, k: min(k, items.count),
                                                  distance: metric, queryName: image, galleryName: galleryURL.path)
        let rows = neighbors.indices(of: 0).enumerated().map { rank, index in
            let id = Int(index), label = items.labels[id]
            return Row(rank: rank + 1, id: id, label: label, class: names?[safe: label] ?? "class \(label)",
                       score: neighbors.values[rank], path: paths[id])
        }
        return (rows, metric.isSimilarity)
    }

    private func searchIndex(_ directory: String, query: [Float], _ saved: Checkpoint) throws -> ([Row], Bool) {
        let opened = try GalleryIndex(contentsOf: URL(fileURLWithPath: directory))
        let differences = opened.manifest.model.differences(from: ModelIdentity(saved))
        guard differences.isEmpty else {
            throw IndexError(path: directory, "the checkpoint is not the model that built this index: " + differences.joined(separator: "; "))
        }
        let hits = try opened.search(query, k: min(k, opened.count), threads: ProcessInfo.processInfo.activeProcessorCount)[0]
        let rows = hits.enumerated().map { rank, hit in
            Row(rank: rank + 1, id: hit.id, label: opened.labels[hit.id], class: opened.className(of: hit.id), score: hit.score,
                path: opened.itemDescription(hit.id))
        }
        return (rows, opened.manifest.distance.isSimilarity)
    }
}

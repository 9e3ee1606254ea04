import ArgumentParser
import Foundation
import MetricLearning

/// `dml search`: the gallery images nearest to a query image under a checkpoint's model.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the nearest gallery images (from dml embed) to a query image.")

    @Option(help: "A checkpoint written by dml train.")
    var checkpoint: String
    @Option(help: "An embeddings file written by dml embed with the same checkpoint.")
    var gallery: String
    @Option(help: "The query image (JPEG or PNG).")
    var image: String
    @Option(name: .short, help: "Neighbours to show.")
    var k: Int = 10
    @Option(help: "cosine, l2 or dot.")
    var distance: String = "cosine"
    @Option(help: "Arithmetic of the model: fp32 or bf16 (default: the precision the run trained in; use the gallery's).")
    var precision: Precision?

    func run() throws {
        guard let metric = SearchDistance(rawValue: distance) else {
            throw ValidationError("unknown distance '\(distance)'; valid: cosine, l2, dot")
        }
        let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
        let galleryURL = URL(fileURLWithPath: gallery)
        let items = try LabeledEmbeddings(contentsOf: galleryURL)
        let paths = try EmbeddingsFile.paths(in: galleryURL)
        let decoded = try ImageDecoder().decode(contentsOf: image)
        var generator = SeededGenerator(seed: 0)
        let input = try saved.transforms.test().tensor(from: decoded, using: &generator)
        let model = try saved.makeModel(precision: precision)
        let query = try model.forward(input.reshaped([1] + input.shape), training: false)
        let neighbors = try ExactSearch.neighbors(queries: query, gallery: items.values, k: min(k, items.count),
                                                  distance: metric, queryName: image, galleryName: gallery)
        print("rank  \(metric.isSimilarity ? "similarity" : "distance²")  label  path")
        for (rank, index) in neighbors.indices(of: 0).enumerated() {
            let value = neighbors.values[rank]
            print(String(format: "%4d  %10.4f  %5d  ", rank + 1, value, items.labels[Int(index)]) + paths[Int(index)])
        }
    }
}

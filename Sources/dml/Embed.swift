import ArgumentParser
import Foundation
import MetricLearning

/// `dml embed`: a checkpoint's embeddings of every image of a dataset split, as a DESIGN §6 embeddings file.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed a dataset split with a checkpoint's model (its test transform) into a safetensors file.")

    @OptionGroup var input: CheckpointOptions
    @Option(help: "Dataset layout: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: the run's).")
    var format: String?
    @Option(help: "Split to embed (default: test, or gallery for In-Shop).")
    var split: String?
    @Option(help: "Output file (.safetensors).")
    var out: String

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let saved = try input.read()
        let layout = try format.map { name in
            guard let layout = DatasetFormat(rawValue: name) else {
                throw ValidationError("unknown format '\(name)'; valid: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return layout
        } ?? saved.configuration.dataset
        let dataset = try Dataset.load(layout, at: URL(fileURLWithPath: input.data ?? saved.configuration.dataPath))
        let name = split ?? (dataset.splits.contains { $0.name == "gallery" } ? "gallery" : "test")
        let images = try dataset.split(name)
        let embedder = try saved.makeEmbedder(workers: input.workers)
        let embeddings = try embedder.embed(images)
        try EmbeddingsFile.write(embeddings, paths: (0..<images.count).map { images.describe($0) },
                                 to: URL(fileURLWithPath: out))
        print("\(embeddings.count) embeddings of dimension \(embeddings.dimension) (\(name) split) → \(out)")
    }
}

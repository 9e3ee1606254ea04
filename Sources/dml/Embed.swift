import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

/// `dml embed`: a checkpoint's embeddings of every image of a dataset split (or of a folder), as a DESIGN §6
/// embeddings file. Under `mpirun` each rank embeds a shard of the images and rank 0 writes the file.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed a dataset split or a folder of images with a checkpoint's model into a safetensors file.")

    @OptionGroup var input: CheckpointOptions
    @Option(help: "Dataset layout: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: the run's).")
    var format: String?
    @Option(help: "Split to embed (default: test, or gallery for In-Shop).")
    var split: String?
    @Option(help: "A folder of .jpg/.jpeg/.png images (searched recursively, path order) to embed instead of a split; labels -1.")
    var images: String?
    @Flag(help: "With --images: the images are already the model's input size; skip the test transform (tensor = pixel / 255).")
    var preprocessed = false
    @Option(help: "Output file (.safetensors).")
    var out: String

    func validate() throws {
        if images != nil && (format != nil || split != nil || input.data != nil) {
            throw ValidationError("--images replaces --format, --split and --data")
        }
        if preprocessed && images == nil { throw ValidationError("--preprocessed applies to --images only") }
    }

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        try ParallelRun.run { world in try run(world: world) }
    }

    private func run(world: Communicator?) throws {
        let saved = try input.read()
        let (name, images) = try self.images.map { ("images", try DatasetSplit.unlabelledImages(in: URL(fileURLWithPath: $0))) }
            ?? datasetSplit(saved)
        var embedder = try saved.makeEmbedder(workers: input.workers, precision: input.precision)
        if preprocessed {
            embedder = Embedder(model: embedder.model, pipeline: ImagePipeline([]), imageSize: embedder.imageSize,
                                batchSize: embedder.batchSize, workers: embedder.workers)
        }
        guard let embeddings = try world.map({ try embedder.embed(images, sharedWith: $0) }) ?? embedder.embed(images) else {
            return
        }
        try EmbeddingsFile.write(embeddings, paths: (0..<images.count).map { images.describe($0) },
                                 classNames: images.classNames, to: URL(fileURLWithPath: out))
        print("\(embeddings.count) embeddings of dimension \(embeddings.dimension) (\(name) split) → \(out)")
    }

    /// The dataset split named by `--split` (or the default) of the `--format` dataset at `--data`.
    private func datasetSplit(_ saved: Checkpoint) throws -> (String, DatasetSplit) {
        let layout = try format.map { name in
            guard let layout = DatasetFormat(rawValue: name) else {
                throw ValidationError("unknown format '\(name)'; valid: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return layout
        } ?? saved.configuration.dataset
        let dataset = try Dataset.load(layout, at: URL(fileURLWithPath: input.data ?? saved.configuration.dataPath))
        let name = split ?? (dataset.splits.contains { $0.name == "gallery" } ? "gallery" : "test")
        return (name, try dataset.split(name))
    }
}

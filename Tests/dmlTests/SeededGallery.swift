import Foundation
import MLData
import MLEvaluation
import MLTraining
import TestSupport

/// What the `dml embed` and `dml search` tests run on, made once per test process: a checkpoint of seeded
/// weights (`SeededCheckpoint`: In-Shop's recipe, ResNet-18 at 32 px, test transform a centre crop), a
/// CUB-layout dataset whose test split has 3 classes of 3 different JPEGs, and the library's own embeddings
/// of that split (`Checkpoint.makeEmbedder`), which the commands' results are compared with.
final class SeededGallery: @unchecked Sendable {
    let data: URL
    let checkpoint: URL
    /// The test split as `Dataset.load` reads it.
    let split: DatasetSplit
    /// The library's embeddings of `split`, and the same written as an embeddings file.
    let embeddings: LabeledEmbeddings
    let embeddingsFile: URL
    private let directory: TemporaryDirectory

    /// The shared gallery (made on first use).
    static func shared() throws -> SeededGallery { try sharedResult.get() }
    private static let sharedResult = Result { try SeededGallery() }

    private init() throws {
        directory = try TemporaryDirectory()
        data = try PaperDatasetLayout.write(.cub, trainImages: [1], testImages: [3, 3, 3], identicalImages: false,
                                            in: directory, subfolder: "data")
        checkpoint = directory.url.appendingPathComponent("model.safetensors")
        try SeededCheckpoint.write(to: checkpoint, arch: .resnet18, imageSize: 32, seed: 5)
        split = try Dataset.load(.cub, at: data).split("test")
        embeddings = try Checkpoint.read(from: checkpoint).makeEmbedder(workers: 1).embed(split)
        embeddingsFile = directory.url.appendingPathComponent("gallery.safetensors")
        try EmbeddingsFile.write(embeddings, paths: (0..<split.count).map { split.describe($0) }, to: embeddingsFile)
    }

    /// Row `index` of the library's embeddings.
    func row(_ index: Int) -> [Float] {
        Array(embeddings.values.scalars[(index * embeddings.dimension)..<((index + 1) * embeddings.dimension)])
    }
}

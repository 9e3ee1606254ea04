import Foundation
import MLData
import MLEngine
import MLEvaluation
import MLModels

/// A run's data: the training split with its sampler and loader, and the evaluation splits (test classes:
/// leave-one-out within `test`, or `query` against `gallery` for In-Shop). With `valClasses`, a share of
/// the training classes is held out as the `validation` split (leave-one-out), never trained on.
final class TrainingData: CustomStringConvertible {
    /// The images trained on (labels contiguous over the classes trained on).
    let train: DatasetSplit
    /// The held-out training classes, or nil without `valClasses`.
    let validation: DatasetSplit?
    /// The query split (also the gallery for leave-one-out).
    let queries: DatasetSplit
    /// The gallery split, or nil for leave-one-out.
    let gallery: DatasetSplit?
    let sampler: any BatchSampler
    private let loader: BatchLoader
    private let testPipeline: ImagePipeline
    private let configuration: TrainingConfiguration

    /// Reads the dataset and builds samplers, pipelines and loaders. Throws naming a missing file.
    init(_ configuration: TrainingConfiguration) throws {
        self.configuration = configuration
        let dataset = try Dataset.load(configuration.dataset, at: URL(fileURLWithPath: configuration.dataPath))
        let trainSplit = try dataset.split("train")
        if let fraction = configuration.valClasses {
            (train, validation) = try Self.holdOut(fraction, of: trainSplit, seed: configuration.seed)
        } else {
            (train, validation) = (trainSplit, nil)
        }
        if dataset.splits.contains(where: { $0.name == "query" }) {
            queries = try dataset.split("query")
            gallery = try dataset.split("gallery")
        } else {
            queries = try dataset.split("test")
            gallery = nil
        }
        let batchSize = configuration.effectiveBatchSize
        sampler = configuration.sampler == "m-per-class"
            ? try MPerClassSampler(labels: train.labels, m: configuration.samplesPerClass, batchSize: batchSize,
                                   seed: configuration.seed)
            : try RandomBatchSampler(count: train.count, batchSize: batchSize, seed: configuration.seed)
        let (trainPipeline, testPipeline) = try configuration.pipelines()
        self.testPipeline = testPipeline
        loader = BatchLoader(split: train, height: configuration.imageSize, width: configuration.imageSize,
                             pipeline: trainPipeline,
                             options: .init(workers: Self.workers(configuration), prefetch: 2, seed: configuration.seed))
    }

    /// `split` without round(`fraction` × classes) of its classes (chosen by `seed`), and those classes as the
    /// validation split. Throws naming `--val-classes` when either side would have fewer than 2 classes.
    static func holdOut(_ fraction: Double, of split: DatasetSplit,
                        seed: UInt64) throws -> (train: DatasetSplit, validation: DatasetSplit) {
        let classes = Array(Set(split.labels)).sorted()
        let count = Int((fraction * Double(classes.count)).rounded())
        guard count >= 2, classes.count - count >= 2 else {
            throw TrainingError.invalidOption(
                "--val-classes \(fraction) would hold out \(count) of the \(classes.count) training classes, leaving "
                + "\(classes.count - count) to train on; both sides need at least 2 classes")
        }
        var generator = SeededGenerator(seed: seed).substream(Self.validationStream)
        let held = Set(generator.choose(count, from: classes))
        let indices = split.labels.indices
        return (split.subset(indices.filter { !held.contains(split.labels[$0]) }, name: split.name),
                split.subset(indices.filter { held.contains(split.labels[$0]) }, name: "validation"))
    }

    /// The key of the random stream that picks the validation classes ("VAL").
    static let validationStream: UInt64 = 0x56_41_4C

    /// Loader threads: the configured count, else one per two cores (the arithmetic has the rest).
    static func workers(_ configuration: TrainingConfiguration) -> Int {
        configuration.workers > 0 ? configuration.workers : max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    }

    /// The number of training classes (the classifier's outputs).
    var classCount: Int { (train.labels.max() ?? -1) + 1 }

    var batchesPerEpoch: Int { sampler.batchesPerEpoch }

    var description: String {
        "\(train.count) training images of \(train.classCount) classes, "
            + (validation.map { "\($0.count) validation images of \($0.classCount) held-out training classes, " } ?? "")
            + (gallery.map { "\(queries.count) queries against \($0.count) gallery images" }
                ?? "\(queries.count) test images of \(queries.classCount) classes (leave-one-out)")
    }

    /// Starts loading the batches of `cursor`'s epoch. The whole epoch is loaded (each sample's random
    /// stream is keyed by its position in the epoch), so a resumed epoch skips the batches already trained.
    func stream(for cursor: BatchCursor) -> BatchStream {
        loader.load(cursor.state.batches, epoch: cursor.state.epoch)
    }

    /// What `evaluate` measured: cosine and L2 metrics on the test classes, on the validation classes
    /// when asked and held out, and the retrieval examples when asked.
    struct Evaluation {
        var cosine: RetrievalMetrics
        var l2: RetrievalMetrics
        var validation: SplitMetrics?
        var examples: RetrievalExamples?
    }

    /// The metrics of `model` on the test classes (and with `validation` on the held-out training classes)
    /// at `recallAt`, and with `examples` a few test queries with their neighbours for the report.
    func evaluate(_ model: EmbeddingModel, recallAt: [Int], validation: Bool = false,
                  examples: Bool = false) throws -> Evaluation {
        let embedder = Embedder(model: model, pipeline: testPipeline, imageSize: configuration.imageSize,
                                batchSize: configuration.testBatchSize, workers: Self.workers(configuration))
        func metrics(_ queries: LabeledEmbeddings, _ gallery: LabeledEmbeddings?) throws -> SplitMetrics {
            SplitMetrics(cosine: try RetrievalEvaluation(distance: .cosine, recallAt: recallAt).run(queries, against: gallery),
                         l2: try RetrievalEvaluation(distance: .l2, recallAt: recallAt).run(queries, against: gallery))
        }
        let queryEmbeddings = try embedder.embed(queries)
        let galleryEmbeddings = try gallery.map { try embedder.embed($0) }
        let test = try metrics(queryEmbeddings, galleryEmbeddings)
        let held = try self.validation.flatMap { split in validation ? try metrics(embedder.embed(split), nil) : nil }
        let retrieval = examples ? try RetrievalExamples(queries: queryEmbeddings, querySplit: queries,
                                                         gallery: galleryEmbeddings, gallerySplit: gallery) : nil
        return Evaluation(cosine: test.cosine, l2: test.l2, validation: held, examples: retrieval)
    }
}

import Foundation

/// A run's data: the training split with its sampler and loader, and the evaluation splits (test classes:
/// leave-one-out within `test`, or `query` against `gallery` for In-Shop).
final class TrainingData: CustomStringConvertible {
    let train: DatasetSplit
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
        train = try dataset.split("train")
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

    /// Loader threads: the configured count, else one per two cores (the arithmetic has the rest).
    static func workers(_ configuration: TrainingConfiguration) -> Int {
        configuration.workers > 0 ? configuration.workers : max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    }

    /// The number of training classes (the classifier's outputs).
    var classCount: Int { (train.labels.max() ?? -1) + 1 }

    var batchesPerEpoch: Int { sampler.batchesPerEpoch }

    var description: String {
        "\(train.count) training images of \(train.classCount) classes, "
            + (gallery.map { "\(queries.count) queries against \($0.count) gallery images" }
                ?? "\(queries.count) test images of \(queries.classCount) classes (leave-one-out)")
    }

    /// Starts loading the batches of `cursor`'s epoch. The whole epoch is loaded (each sample's random
    /// stream is keyed by its position in the epoch), so a resumed epoch skips the batches already trained.
    func stream(for cursor: BatchCursor) -> BatchStream {
        loader.load(cursor.state.batches, epoch: cursor.state.epoch)
    }

    /// Cosine and L2 metrics of `model` on the test classes at `recallAt`, and with `examples` a few
    /// queries with their neighbours for the report.
    func evaluate(_ model: EmbeddingModel, recallAt: [Int], examples: Bool = false)
        throws -> (cosine: RetrievalMetrics, l2: RetrievalMetrics, examples: RetrievalExamples?) {
        let embedder = Embedder(model: model, pipeline: testPipeline, imageSize: configuration.imageSize,
                                batchSize: configuration.testBatchSize, workers: Self.workers(configuration))
        let queryEmbeddings = try embedder.embed(queries)
        let galleryEmbeddings = try gallery.map { try embedder.embed($0) }
        let cosine = try RetrievalEvaluation(distance: .cosine, recallAt: recallAt).run(queryEmbeddings, against: galleryEmbeddings)
        let l2 = try RetrievalEvaluation(distance: .l2, recallAt: recallAt).run(queryEmbeddings, against: galleryEmbeddings)
        let retrieval = examples ? try RetrievalExamples(queries: queryEmbeddings, querySplit: queries,
                                                         gallery: galleryEmbeddings, gallerySplit: gallery) : nil
        return (cosine, l2, retrieval)
    }
}

import MLData
import MLModels

extension Embedder {
    /// An embedder of `model` as `configuration` evaluates: its test transform at its image size, its
    /// evaluation batch size, and `workers` loader threads (nil: the configuration's; 0: automatic).
    public init(model: EmbeddingModel, configuration: TrainingConfiguration, workers: Int? = nil) {
        self.init(model: model, pipeline: configuration.pipelines.test, imageSize: configuration.imageSize,
                  batchSize: configuration.testBatchSize,
                  workers: BatchLoader.Options.workers(requested: workers ?? configuration.workers))
    }
}

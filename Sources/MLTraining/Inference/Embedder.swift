import Foundation
import MLData
import MLEngine
import MLEvaluation
import MLModels

/// Computes a model's embeddings of a whole split: images in order through the test pipeline, in
/// batches, the model in inference mode. Used by evaluation during training and by `dml eval` / `dml embed`.
public struct Embedder {
    public let model: EmbeddingModel
    public let pipeline: ImagePipeline
    public let imageSize: Int
    public let batchSize: Int
    public let workers: Int

    public init(model: EmbeddingModel, pipeline: ImagePipeline, imageSize: Int, batchSize: Int, workers: Int) {
        self.model = model
        self.pipeline = pipeline
        self.imageSize = imageSize
        self.batchSize = batchSize
        self.workers = workers
    }

    /// The embeddings of every image of `split` ([n, d]) with its labels. Throws naming the image that
    /// failed to load, or the model's shape errors.
    public func embed(_ split: DatasetSplit) throws -> LabeledEmbeddings {
        let loader = BatchLoader(split: split, height: imageSize, width: imageSize, pipeline: pipeline,
                                 options: .init(workers: max(1, workers), prefetch: 2))
        let batches = stride(from: 0, to: split.count, by: batchSize).map { Array($0..<min($0 + batchSize, split.count)) }
        let stream = loader.load(batches, epoch: 0)
        var values: [Float] = []
        var dimension = model.embeddingSize
        while let batch = try stream.next() {
            let embeddings = try model.forward(batch.images, training: false)
            dimension = embeddings.shape[1]
            values += embeddings.scalars
        }
        return try LabeledEmbeddings(values: Tensor(shape: [split.count, dimension], values: values),
                                     labels: split.labels, name: split.name)
    }
}

import Foundation
import MLData
import MLDistributed
import MLEngine
import MLFormats
import MLModels
import MLTraining

extension Check {
    /// The model and embedder of the sharded-embedding check: ResNet-18 (seed 5) on the Fashion-MNIST
    /// test transform, batches of 7, one loader thread.
    static func embedder() throws -> Embedder {
        let model = try EmbeddingModel(.init(arch: .resnet18, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]), seed: 5)
        return Embedder(model: model, pipeline: TransformPreset.fashionMNIST.test(), imageSize: 32, batchSize: 7, workers: 1)
    }

    /// The test split of the Fashion-MNIST folder INPUT embedded by all ranks together; rank 0 writes them.
    func embed() throws {
        let split = try Dataset.load(.fashionMNIST, at: input).split("test")
        let embeddings = try Self.embedder().embed(split, sharedWith: communicator)
        var output = SafeTensorsFile()
        if let embeddings {
            output.add(embeddings.values, named: "embeddings")
            try output.add(integers: embeddings.labels, named: "labels")
        }
        try write(output)
    }
}

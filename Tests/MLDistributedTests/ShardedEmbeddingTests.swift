import Foundation
import MLData
@testable import MLDistributed
import MLFormats
import MLModels
import MLTraining
import TestSupport
import Testing

/// `Embedder.embed(_:sharedWith:)` over 2 ranks (`Check.embed`) against one process's embeddings of the
/// same split: within 1e-6 norm-relative (the same batches through the same model; only the thread count
/// differs), labels identical.
@Suite(.serialized) struct ShardedEmbeddingTests {
    @Test func shardsAreWholeBatchesInOrder() {
        #expect(Embedder.shard(count: 50, batchSize: 7, rank: 0, of: 2) == 0..<28)
        #expect(Embedder.shard(count: 50, batchSize: 7, rank: 1, of: 2) == 28..<50)
        #expect(Embedder.shard(count: 5, batchSize: 7, rank: 0, of: 2) == 0..<0)
        #expect(Embedder.shard(count: 5, batchSize: 7, rank: 1, of: 2) == 0..<5)
        let thirds = (0..<3).map { Embedder.shard(count: 100, batchSize: 10, rank: $0, of: 3) }
        #expect(thirds == [0..<30, 30..<60, 60..<100])
    }

    @Test func twoRanksEmbedTheSplitAsOneProcessDoes() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 1, testPerClass: 5)
        let job = try CheckJob("embed", input: directory.url, in: directory)
        guard job.succeeded() else { return }
        let split = try Dataset.load(.fashionMNIST, at: directory.url).split("test")
        let model = try EmbeddingModel(.init(arch: .resnet18, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]), seed: 5)
        let expected = try Embedder(model: model, pipeline: TransformPreset.fashionMNIST.test(), imageSize: 32,
                                    batchSize: 7, workers: 1).embed(split)
        let rank0 = try job.output(rank: 0)
        let got = try rank0.floats(named: "embeddings")
        let reference = expected.values.scalars.map(Double.init)
        #expect(relativeError(got, reference) < 1e-6, "\(worstMismatch(got, reference))")
        #expect(try rank0.integers(named: "labels") == expected.labels)
        #expect(try job.output(rank: 1).info("embeddings") == nil, "only rank 0 receives the embeddings")
    }
}

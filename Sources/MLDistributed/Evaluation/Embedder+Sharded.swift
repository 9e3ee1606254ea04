import MLData
import MLEngine
import MLEvaluation
import MLTraining

extension Embedder {
    /// The embeddings of every image of `split`, computed by `communicator`'s processes together: the
    /// split's batches (of `batchSize`, as a single process makes them) are cut into W contiguous runs,
    /// process r embeds the r-th and rank 0 gathers them in order. Returns the whole split's embeddings on
    /// rank 0 and nil on the others. Every process must call it (it is a collective).
    public func embed(_ split: DatasetSplit, sharedWith communicator: Communicator) throws -> LabeledEmbeddings? {
        let shard = Self.shard(count: split.count, batchSize: batchSize, rank: communicator.rank, of: communicator.size)
        let values = shard.isEmpty ? [] : try embed(split.subset(Array(shard), name: split.name)).values.scalars
        guard let parts = try communicator.gather(values) else { return nil }
        let all = parts.flatMap { $0 }
        return try LabeledEmbeddings(values: Tensor(shape: [split.count, all.count / max(split.count, 1)], values: all),
                                     labels: split.labels, name: split.name)
    }

    /// The images process `rank` of `size` embeds: whole batches of `batchSize`, the batches cut into
    /// `size` contiguous runs as evenly as possible (empty when there are fewer batches than processes).
    static func shard(count: Int, batchSize: Int, rank: Int, of size: Int) -> Range<Int> {
        let batches = (count + batchSize - 1) / batchSize
        let first = batches * rank / size, last = batches * (rank + 1) / size
        return min(first * batchSize, count)..<min(last * batchSize, count)
    }
}

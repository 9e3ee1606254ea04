/// m samples per class, as pytorch-metric-learning's `MPerClassSampler` with a batch size: each batch
/// shuffles the class list and takes its first batchSize/m classes, then m samples of each (without
/// replacement, or with replacement for a class of fewer than m). An epoch is the dataset's size in whole
/// batches (PML's `length_before_new_iter` = the dataset's size).
public struct MPerClassSampler: BatchSampler {
    public let batchSize: Int
    /// Samples per class in a batch.
    public let m: Int
    /// The seed.
    public let seed: UInt64
    private let classes: [(label: Int, indices: [Int])]
    private let count: Int

    /// A sampler over samples with `labels`.
    ///
    /// - Throws: `SamplerError` when m does not divide the batch size, or there are too few classes to fill it.
    public init(labels: [Int], m: Int, batchSize: Int, seed: UInt64) throws {
        guard m > 0, batchSize > 0, batchSize % m == 0 else {
            throw SamplerError("m = \(m) must be positive and divide the batch size \(batchSize)")
        }
        classes = indicesByLabel(labels)
        guard classes.count * m >= batchSize else {
            throw SamplerError("\(classes.count) classes × m = \(m) cannot fill a batch of \(batchSize)")
        }
        guard labels.count >= batchSize else {
            throw SamplerError("batch size \(batchSize) exceeds the dataset's \(labels.count) images")
        }
        self.m = m
        self.batchSize = batchSize
        self.seed = seed
        count = labels.count
    }

    public var batchesPerEpoch: Int { count / batchSize }

    public func batches(epoch: Int) -> [[Int]] {
        var generator = samplerGenerator(seed: seed, epoch: epoch)
        var order = Array(classes.indices)
        return (0..<batchesPerEpoch).map { _ in
            generator.shuffle(&order)
            return order.prefix(batchSize / m).flatMap { generator.choose(m, from: classes[$0].indices) }
        }
    }
}

/// Random batches without replacement: each epoch shuffles all samples and cuts the permutation into
/// batches, dropping the last partial batch (the paper's recipe).
public struct RandomBatchSampler: BatchSampler {
    public let batchSize: Int
    /// The number of samples.
    public let count: Int
    /// The seed.
    public let seed: UInt64

    /// Batches of `batchSize` from `count` samples.
    ///
    /// - Throws: `SamplerError` when `batchSize` is not positive or exceeds `count`.
    public init(count: Int, batchSize: Int, seed: UInt64) throws {
        guard batchSize > 0, batchSize <= count else {
            throw SamplerError("batch size \(batchSize) must be between 1 and the dataset's \(count) images")
        }
        self.count = count
        self.batchSize = batchSize
        self.seed = seed
    }

    public var batchesPerEpoch: Int { count / batchSize }

    public func batches(epoch: Int) -> [[Int]] {
        var generator = samplerGenerator(seed: seed, epoch: epoch)
        var order = Array(0..<count)
        generator.shuffle(&order)
        return (0..<batchesPerEpoch).map { Array(order[($0 * batchSize)..<(($0 + 1) * batchSize)]) }
    }
}

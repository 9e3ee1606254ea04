import MLEngine

/// Chooses which samples form each batch of an epoch.
///
/// An epoch's batches are a pure function of the sampler's seed and the epoch number, so a run resumed
/// at any epoch sees the same batches; `BatchCursor` walks them and exports its position.
public protocol BatchSampler: Sendable {
    /// Samples per batch.
    var batchSize: Int { get }
    /// Batches per epoch (every batch is full).
    var batchesPerEpoch: Int { get }
    /// The batches of `epoch` (from 0), each a list of sample indices.
    func batches(epoch: Int) -> [[Int]]
}

/// A sampler setting a user chose that cannot work with the data (batch larger than the dataset, …).
public struct SamplerError: Error, CustomStringConvertible, Equatable {
    /// What was wrong, with the values.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// The sampler's stream for `epoch`, shared by the samplers.
func samplerGenerator(seed: UInt64, epoch: Int) -> SeededGenerator {
    SeededGenerator(seed: seed).substream(0x5A4D_504C).substream(UInt64(epoch))
}

/// Sample indices grouped by label, labels in ascending order.
func indicesByLabel(_ labels: [Int]) -> [(label: Int, indices: [Int])] {
    Dictionary(grouping: labels.indices, by: { labels[$0] }).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
}

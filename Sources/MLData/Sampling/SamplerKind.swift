/// The batch samplers a training run can use; the raw value is the name in `--sampler` and `config.json`.
public enum SamplerKind: String, CaseIterable, Codable, Sendable {
    /// `RandomBatchSampler`: a permutation cut into full batches.
    case random
    /// `MPerClassSampler`: `samplesPerClass` images of each of batchSize / samplesPerClass classes.
    case mPerClass = "m-per-class"

    /// This kind's sampler over `labels`, in batches of `batchSize`.
    public func make(labels: [Int], batchSize: Int, samplesPerClass: Int, seed: UInt64) throws -> any BatchSampler {
        switch self {
        case .random: try RandomBatchSampler(count: labels.count, batchSize: batchSize, seed: seed)
        case .mPerClass: try MPerClassSampler(labels: labels, m: samplesPerClass, batchSize: batchSize, seed: seed)
        }
    }
}

import MLData

/// Where a run stands, saved in every checkpoint so `--resume` continues exactly: completed epochs and
/// iterations, the best epoch so far, and the positions of every random stream.
public struct TrainingState: Codable, Sendable, Equatable {
    /// Epochs completed.
    public var epoch = 0
    /// Iterations completed over the whole run (the schedule's i).
    public var iteration = 0
    /// The sampler's current epoch (0-based), its batches and how many were trained; nil before training.
    public var sampler: BatchCursor.State?
    /// The epoch with the best selection metric so far, and that metric (cosine R@1 on the validation
    /// classes with `--val-classes`, else on the test classes).
    public var bestEpoch: Int?
    public var bestRecallAt1: Double?
    /// The loss's dropout stream position.
    public var dropoutPosition: UInt64 = 0
    /// The sums over the batches of the sampler's epoch trained so far, so a resumed epoch reports the
    /// mean over all its batches (nil before training and in checkpoints that predate it).
    public var epochTotals: EpochTotals?

    /// Sums of the per-batch loss, SPCE and classifier accuracy (nil for a loss without a classifier, and
    /// in checkpoints that predate it), and the number of batches.
    public struct EpochTotals: Codable, Sendable, Equatable {
        public var loss = 0.0
        public var spce = 0.0
        public var accuracy: Double?
        public var batches = 0

        /// Adds one batch's step result.
        public mutating func add(_ result: TrainingStep.Result) {
            loss += result.loss
            spce += result.spce
            if let batchAccuracy = result.accuracy { accuracy = (accuracy ?? 0) + batchAccuracy }
            batches += 1
        }

        /// The mean loss, SPCE and accuracy over the batches (0 before any batch).
        public var means: (loss: Double, spce: Double, accuracy: Double?) {
            let count = Double(max(batches, 1))
            return (loss / count, spce / count, accuracy.map { $0 / count })
        }
    }

    public init() {}
}

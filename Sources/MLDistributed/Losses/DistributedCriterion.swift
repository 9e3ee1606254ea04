import MLEngine
import MLLosses

/// A criterion evaluated by the processes of a data-parallel job, each holding its own rows of the global
/// batch (rank r the r-th of W equal slices), such that averaging the processes' parameter gradients gives
/// the single-process gradient of the global batch.
///
/// - A loss without parameters is a function of the pairs of the batch (contrastive, triplet, multi-
///   similarity, SupCon …, with their miners): embeddings and labels are all-gathered, the loss and its
///   miner run on the whole global batch on every process, and each process back-propagates its own rows'
///   gradient multiplied by W (pytorch-metric-learning's `DistributedLossWrapper`), so that the mean over
///   processes is the global batch's gradient.
/// - A loss with parameters (a classifier or proxies: the paper's cross-entropy, NormalizedSoftmax,
///   ArcFace, ProxyNCA …) scores each row against its parameters: every process evaluates its own rows,
///   with no gather; averaging the processes' means gives the global mean for these row-wise losses (for
///   ProxyAnchor, whose value couples rows, each process's rows are scored alone, as a micro-batch of
///   `--accumulate` is). The cross-entropy's dropout takes its mask from the positions of the process's
///   rows in the global batch, so the masks do not depend on W.
public final class DistributedCriterion {
    public let criterion: Criterion
    private let communicator: Communicator

    /// `criterion` over `communicator`'s processes.
    public init(_ criterion: Criterion, communicator: Communicator) {
        self.criterion = criterion
        self.communicator = communicator
    }

    /// Whether the loss sees the whole global batch (a loss without parameters) or each process its rows.
    public var gathersBatch: Bool { criterion.loss.namedParameters.isEmpty }

    /// This process's part of the loss of the global batch whose rows `embeddings` [n, d] and `labels` are
    /// this process's slice (every process passes n rows): the value (the global batch's for a gathered
    /// loss, else the mean over this process's rows), the gradient for these rows (scaled as described
    /// above), and the classifier's correct count over these rows (nil without a classifier).
    public func callAsFunction(_ embeddings: Tensor, labels: [Int], training: Bool = true) throws
        -> (value: Double, gradient: Tensor, correct: Int?) {
        guard gathersBatch else { return try evaluateOwnRows(embeddings, labels: labels, training: training) }
        let rows = embeddings.shape[0], width = embeddings.count / max(rows, 1)
        let gathered = try communicator.allGather(embeddings.scalars)
        let allLabels = try communicator.allGather(labels).flatMap { $0 }
        guard gathered.allSatisfy({ $0.count == rows * width }) else {
            throw DistributedError.mismatch("batch slices of \(gathered.map { $0.count / max(width, 1) }) rows; every rank needs \(rows)")
        }
        let global = Tensor(shape: [allLabels.count, width], values: gathered.flatMap { $0 })
        let (value, gradient, correct) = try criterion(global, labels: allLabels, training: training)
        var own = gradient.rows((communicator.rank * rows)..<((communicator.rank + 1) * rows))
        let scale = Float(communicator.size)
        own.withUnsafeMutableStorage { values in for i in values.indices { values[i] *= scale } }
        return (value, own, correct)
    }

    /// The loss of this process's rows, the dropout stream (when it draws) positioned at them within the
    /// global batch and left after the whole batch.
    private func evaluateOwnRows(_ embeddings: Tensor, labels: [Int], training: Bool) throws
        -> (value: Double, gradient: Tensor, correct: Int?) {
        guard training, let dropout = (criterion.loss as? SmoothCrossEntropyLoss)?.dropout,
              dropout.probability > 0 && dropout.probability < 1 && dropout.fixedMask == nil else {
            return try criterion(embeddings, labels: labels, training: training)
        }
        let start = dropout.generatorPosition
        let draws = UInt64(embeddings.count)
        dropout.generatorPosition = start + UInt64(communicator.rank) * draws
        defer { dropout.generatorPosition = start + UInt64(communicator.size) * draws }
        return try criterion(embeddings, labels: labels, training: training)
    }
}

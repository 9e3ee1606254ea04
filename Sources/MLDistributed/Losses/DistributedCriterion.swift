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
    /// Throws `LossError` for embeddings of the wrong shape or not finite.
    public func callAsFunction(_ embeddings: Tensor, labels: [Int], training: Bool = true) throws
        -> (value: Double, gradient: Tensor, correct: Int?) {
        let output = try evaluate(validatedMatrix(embeddings, labels: labels, for: criterion.loss.name), labels: labels,
                                  training: training)
        return (output.value, output.gradient.tensor, output.correct)
    }

    /// `callAsFunction` on embeddings the caller has checked (n × d, finite), as a training step does.
    public func evaluate(_ embeddings: Matrix, labels: [Int], training: Bool) throws -> LossOutput {
        guard gathersBatch else { return try evaluateOwnRows(embeddings, labels: labels, training: training) }
        let (rows, width) = (embeddings.rows, embeddings.columns)
        let gathered = try communicator.allGather(Array(embeddings.values))
        let allLabels = try communicator.allGather(labels).flatMap { $0 }
        guard gathered.allSatisfy({ $0.count == rows * width }) else {
            throw DistributedError.mismatch("batch slices of \(gathered.map { $0.count / max(width, 1) }) rows; every rank needs \(rows)")
        }
        let global = Matrix(rows: allLabels.count, columns: width, values: gathered.flatMap { $0 })
        let output = try criterion(validated: global, labels: allLabels, training: training)
        let start = communicator.rank * rows * width
        let scale = Double(communicator.size)
        let own = output.gradient.values[start..<(start + rows * width)].map { $0 * scale }
        return LossOutput(value: output.value, gradient: Matrix(rows: rows, columns: width, values: own),
                          correct: output.correct)
    }

    /// The loss of this process's rows, the loss's random stream (a dropout's) positioned at them within
    /// the global batch and left after the whole batch.
    private func evaluateOwnRows(_ embeddings: Matrix, labels: [Int], training: Bool) throws -> LossOutput {
        let draws = training ? UInt64(criterion.randomDraws(rows: embeddings.rows, columns: embeddings.columns)) : 0
        guard draws > 0 else { return try criterion(validated: embeddings, labels: labels, training: training) }
        let start = criterion.randomStreamPosition
        criterion.randomStreamPosition = start + UInt64(communicator.rank) * draws
        defer { criterion.randomStreamPosition = start + UInt64(communicator.size) * draws }
        return try criterion(validated: embeddings, labels: labels, training: training)
    }
}

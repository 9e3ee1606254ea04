import MLData
import MLEngine
import MLEvaluation
import MLLosses
import MLModels

/// The processes one data-parallel run is spread over, as the trainer uses them. MLDistributed implements
/// it over MPI (`MPIProcessGroup`); a run in one process has none, and this module never needs MPI.
///
/// Every method is a collective: every process calls it, in the same order.
public protocol ProcessGroup: AnyObject {
    /// This process's rank, 0..<size; rank 0 writes the run folder.
    var rank: Int { get }
    /// The number of processes, W.
    var size: Int { get }
    /// An averager of `parameters`' gradients over the processes (the same list on every process).
    func gradientAverager(for parameters: [Parameter]) throws -> any GradientAverager
    /// This process's part of `criterion` on a global batch of which `embeddings` (checked finite) are
    /// this process's rows, scaled so that the mean of the processes' parameter gradients is the global
    /// batch's: the value (the global batch's when the loss sees the whole batch, else the mean over these
    /// rows) and the rows' gradient.
    func loss(_ criterion: Criterion, embeddings: Matrix, labels: [Int], training: Bool) throws -> LossOutput
    /// Whether `flag` is set on any process.
    func any(_ flag: Bool) throws -> Bool
    /// `values` replaced by rank 0's on every process (every process passes the same count).
    func broadcast(_ values: inout [Float]) throws
    /// Rank 0's bytes on every process (the others pass anything).
    func broadcast(bytes: [UInt8]) throws -> [UInt8]
    /// `split`'s embeddings by `embedder`, each process embedding a shard: all of them on rank 0, nil on
    /// the others.
    func embed(_ split: DatasetSplit, with embedder: Embedder) throws -> LabeledEmbeddings?
}

/// Averages parameter gradients over the processes of a `ProcessGroup` after a backward pass; as the
/// pass's `GradientObserver` it may start while the backward still runs.
public protocol GradientAverager: GradientObserver {
    /// Marks `parameters`' gradients complete (those the model's backward does not report, e.g. a loss's).
    func gradientsReady(_ parameters: [Parameter])
    /// Completes the pass: every gradient replaced by its mean over the processes, and `scalars` summed
    /// over the processes with the same collective and returned.
    func reduce(adding scalars: [Double]) throws -> [Double]
}

extension ProcessGroup {
    /// Replaces the values of `parameters` by rank 0's on every process, in one broadcast of their
    /// concatenation (every process passes the same list).
    func shareRootsValues(of parameters: [Parameter]) throws {
        var values = parameters.flatMap(\.value.scalars)
        try broadcast(&values)
        var start = 0
        for parameter in parameters {
            let count = parameter.value.count
            parameter.value = Tensor(shape: parameter.value.shape, values: Array(values[start..<(start + count)]))
            start += count
        }
    }
}

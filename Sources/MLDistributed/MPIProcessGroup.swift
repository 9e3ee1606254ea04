import MLData
import MLEngine
import MLEvaluation
import MLLosses
import MLModels
import MLTraining

/// The processes of an MPI job as a trainer's `ProcessGroup`: gradients averaged by a `GradientBucketer`,
/// losses by `DistributedCriterion`, evaluation sharded by `Embedder.embed(_:sharedWith:)`.
public final class MPIProcessGroup: ProcessGroup {
    public let communicator: Communicator
    /// The gradient buckets' size in bytes.
    public let bucketBytes: Int
    /// What progresses the gradient allreduces during the backward.
    public let driver: ProgressDriver

    /// The processes of `communicator`, with gradient buckets of `bucketBytes` driven by `driver` (default:
    /// a communication thread, or tests between layers when the MPI library allows calls from one thread
    /// only).
    public init(_ communicator: Communicator, bucketBytes: Int = 25 << 20, driver: ProgressDriver? = nil) {
        self.communicator = communicator
        self.bucketBytes = bucketBytes
        self.driver = driver ?? (MPIRuntime.allowsCallsFromAnyThread ? .default : .betweenLayers)
    }

    public var rank: Int { communicator.rank }
    public var size: Int { communicator.size }

    public func gradientAverager(for parameters: [Parameter]) throws -> any GradientAverager {
        try GradientBucketer(parameters: parameters, communicator: communicator, bucketBytes: bucketBytes, driver: driver)
    }

    public func loss(_ criterion: Criterion, embeddings: Matrix, labels: [Int], training: Bool) throws -> LossOutput {
        try DistributedCriterion(criterion, communicator: communicator).evaluate(embeddings, labels: labels, training: training)
    }

    public func any(_ flag: Bool) throws -> Bool {
        try communicator.allReduce([flag ? 1 : 0], .maximum)[0] != 0
    }

    public func broadcast(_ values: inout [Float]) throws {
        try communicator.broadcast(&values)
    }

    public func broadcast(bytes: [UInt8]) throws -> [UInt8] {
        try communicator.broadcast(variable: bytes)
    }

    public func embed(_ split: DatasetSplit, with embedder: Embedder) throws -> LabeledEmbeddings? {
        try embedder.embed(split, sharedWith: communicator)
    }
}

import MLEngine
import MLLosses
import MLModels

/// One optimisation step of the paper's recipe on a batch, and nothing else (the loop, data and evaluation
/// are `Trainer`'s):
///
///     images [N, 3, H, W] in [0, 1] ─ model.forward ─▶ embeddings [N, d]
///     embeddings, labels ─ loss (its own dropout + classifier) ─▶ value, dLoss/dEmbedding [N, d]
///     dLoss/dEmbedding ─ model.backward ─▶ parameter gradients (the image needs none)
///     SGD step over model and loss parameters at the schedule's learning rate for iteration i
///
/// The SPCE of the embeddings (DESIGN §5) and the classifier's accuracy are computed on the side for the
/// log; they do not train.
///
/// Over a `ProcessGroup` of W processes (data parallelism) each process passes its rows of the global
/// batch: the loss is the group's (`ProcessGroup.loss`), the last micro-batch's backward reports finished
/// layers to the group's `GradientAverager`, which averages the gradients over the processes while the
/// backward runs, and sums the step's loss, SPCE, correct count and stop flag with the same collective, so
/// every process takes the same SGD step and the same decisions. Batch norm's running statistics are then
/// rank 0's on every process.
public final class TrainingStep {
    public let model: EmbeddingModel
    public let criterion: Criterion
    public let optimizer: SGD
    public let schedule: LearningRateSchedule
    /// The processes the step is spread over, or nil for one process.
    public let processes: (any ProcessGroup)?
    private let spce: SPCELoss
    private let averager: (any GradientAverager)?

    /// A step over `model` and `criterion` (a loss and its miner) with `optimizer` (whose groups cover
    /// the parameters of both) following `schedule`, in this process alone or over `processes`.
    /// `classCount` is the number of training classes (for the logged SPCE).
    public init(model: EmbeddingModel, criterion: Criterion, optimizer: SGD, schedule: LearningRateSchedule,
                classCount: Int, processes: (any ProcessGroup)? = nil) throws {
        self.model = model
        self.criterion = criterion
        self.optimizer = optimizer
        self.schedule = schedule
        self.processes = processes
        spce = try SPCELoss(classes: classCount)
        averager = try processes.map { try $0.gradientAverager(for: optimizer.groups.flatMap { $0.parameters.map(\.parameter) }) }
    }

    /// Two SGD groups over the model's and the loss's trainable parameters (loss ones named `loss.*`):
    /// weight decay on parameters of dimension > 1 only (DESIGN §3).
    public static func parameterGroups(model: EmbeddingModel, criterion: Criterion,
                                       weightDecay: Double) -> [SGD.ParameterGroup] {
        let loss = criterion.namedParameters.map { (name: Checkpoint.lossPrefix + $0.name, parameter: $0.parameter) }
        return SGD.groupsWithoutBiasDecay(model.namedParameters + loss, weightDecay: weightDecay)
    }

    /// What one step measured.
    public struct Result: Sendable {
        /// The training loss on the batch (before the update).
        public var loss: Double
        /// The SPCE of the batch's embeddings.
        public var spce: Double
        /// The share of the batch the loss's classifier scored right (before the update, on the logits the
        /// loss used, dropout included); nil for losses without a classifier.
        public var accuracy: Double?
        /// The learning rate used.
        public var learningRate: Double
        /// The batch's embeddings (before the update).
        public var embeddings: Tensor
        /// dLoss/dEmbedding.
        public var embeddingGradient: Tensor
        /// Whether a stop was requested on any process (the `stopRequested` passed to the step, agreed
        /// over the processes).
        public var stopRequested = false
    }

    /// Trains on one batch at global iteration `iteration` (counted from 0 over the whole run), as
    /// `microBatches` equal consecutive parts (gradient accumulation): each part runs forward, loss and
    /// backward on its own, their parameter gradients are summed and divided by `microBatches` — for a loss
    /// that is a mean over the batch that is the gradient of the whole batch — and the optimizer steps once.
    /// Batch norm in training mode and pairwise losses see each part alone. One part is the plain step.
    ///
    /// Throws `NonFinite` (before touching any parameter) when the embeddings, the loss or a parameter's
    /// gradient hold a NaN or an infinity, and the loss's errors for labels it cannot use. The gradients are
    /// checked because a NaN can reach them without reaching the loss: a ReLU or a max-pool passes 0 for a NaN
    /// input, so NaN weights in early layers would leave the embeddings finite while the run trains on NaN. The result's loss and SPCE
    /// are the means over the parts; its embeddings and gradient are the parts' stacked in order.
    ///
    /// Over processes, `images` and `labels` are this process's rows of each part (micro-batch) of the
    /// global batch; the loss, SPCE and accuracy are the global batch's means, a non-finite value on any
    /// process stops all of them, and the result's `stopRequested` is true on all when `stopRequested` was
    /// on one.
    public func callAsFunction(images: Tensor, labels: [Int], iteration: Int, microBatches: Int = 1,
                               stopRequested: Bool = false) throws -> Result {
        precondition(microBatches >= 1 && labels.count % microBatches == 0 && images.shape.first == labels.count,
                     "a batch of \(labels.count) labels (images \(images.shape)) cannot be cut into \(microBatches) parts")
        model.zeroGradients()
        criterion.zeroGradients()
        let poisoned = FaultInjection.reach(.nonFiniteLoss)
        let size = labels.count / microBatches
        var (lossSum, spceSum) = (0.0, 0.0)
        var correct: Int? = nil
        var (embeddings, gradients): ([Tensor], [Tensor]) = ([], [])
        for part in 0..<microBatches {
            let range = (part * size)..<((part + 1) * size)
            let input = microBatches == 1 ? images : images.rows(range)
            let partLabels = Array(labels[range])
            let partEmbeddings = try model.forward(input, training: true)
            // The one check of the step's embeddings; the loss and the SPCE take them as checked.
            let matrix = Matrix(partEmbeddings)
            let finite = matrix.values.allSatisfy(\.isFinite)
            guard try processes.map({ try !$0.any(!finite) }) ?? finite else { throw TrainingStep.NonFinite(value: .nan) }
            let output = try processes.map { try $0.loss(criterion, embeddings: matrix, labels: partLabels, training: true) }
                ?? criterion(validated: matrix, labels: partLabels, training: true)
            // Over processes a non-finite loss travels with the gradients (a process alone must not leave the
            // collective); one process stops at once.
            guard (output.value.isFinite || processes != nil) && !poisoned else {
                throw TrainingStep.NonFinite(value: poisoned ? .nan : output.value)
            }
            let gradient = output.gradient.tensor
            if let averager, part == microBatches - 1 {
                averager.gradientsReady(criterion.namedParameters.map(\.parameter))
                GradientObservation.$observer.withValue(averager) { _ = model.backward(gradient, needsInputGradient: false) }
            } else {
                _ = model.backward(gradient, needsInputGradient: false)
            }
            lossSum += output.value
            if let partCorrect = output.correct { correct = (correct ?? 0) + partCorrect }
            spceSum += try spce.compute(matrix, labels: partLabels, indices: nil, training: false).value
            embeddings.append(partEmbeddings)
            gradients.append(gradient)
        }
        var (stop, rows) = (stopRequested, labels.count)
        if let processes, let averager {
            let sums = try averager.reduce(adding: [lossSum, spceSum, Double(correct ?? 0), stopRequested ? 1 : 0])
            let size = Double(processes.size)
            guard sums[0].isFinite else { throw TrainingStep.NonFinite(value: sums[0] / size) }
            (lossSum, spceSum, correct, stop) = (sums[0] / size, sums[1] / size, correct.map { _ in Int(sums[2]) }, sums[3] > 0)
            rows *= processes.size
        }
        if microBatches > 1 { scaleGradients(by: 1 / Float(microBatches)) }
        if let name = firstNonFiniteGradient() { throw TrainingStep.NonFinite(value: .nan, gradientOf: name) }
        let learningRate = schedule.rate(at: iteration)
        optimizer.learningRate = learningRate
        optimizer.step()
        if let processes { try shareBuffers(over: processes) }
        let parts = Double(microBatches)
        return Result(loss: lossSum / parts, spce: spceSum / parts,
                      accuracy: correct.map { Double($0) / Double(rows) }, learningRate: learningRate,
                      embeddings: Tensor.concatenatingRows(embeddings),
                      embeddingGradient: Tensor.concatenatingRows(gradients), stopRequested: stop)
    }

    /// Replaces the model's buffers (batch norm's running statistics, which each process updated with its
    /// own rows) by rank 0's, so every process holds the same state.
    private func shareBuffers(over processes: any ProcessGroup) throws {
        try processes.shareRootsValues(of: model.namedParameters.map(\.parameter).filter { !$0.isTrainable })
    }

    /// The name of the first parameter (in the optimizer's order) whose gradient holds a NaN or an infinity.
    private func firstNonFiniteGradient() -> String? {
        for group in optimizer.groups {
            for entry in group.parameters {
                guard let gradient = entry.parameter.gradient else { continue }
                if !gradient.withUnsafeStorage({ $0.allSatisfy(\.isFinite) }) { return entry.name }
            }
        }
        return nil
    }

    /// Multiplies every gradient the optimizer reads by `factor`.
    private func scaleGradients(by factor: Float) {
        for group in optimizer.groups {
            for entry in group.parameters {
                entry.parameter.gradient?.withUnsafeMutableStorage { values in
                    for i in values.indices { values[i] *= factor }
                }
            }
        }
    }

    /// The loss, the embeddings or a gradient was not finite; no parameter was changed.
    public struct NonFinite: Error {
        /// The loss's value (NaN when the embeddings or a gradient were not finite).
        public let value: Double
        /// The parameter whose gradient was not finite, or nil when the loss or the embeddings were not.
        public let gradientOf: String?

        public init(value: Double, gradientOf: String? = nil) {
            self.value = value
            self.gradientOf = gradientOf
        }
    }
}

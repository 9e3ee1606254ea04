import Foundation
import MLData
import MLEngine
import MLFormats
import MLLosses
import MLModels

/// Trains an `EmbeddingModel` as a `TrainingConfiguration` says, evaluating as it goes and writing the run
/// folder. The data path end to end:
///
///     dataset split ─ sampler ─▶ batch indices ─ loader (decode, train transform) ─▶ images [N, 3, S, S] in [0, 1]
///     images ─ TrainingStep: model → embeddings → loss (dropout + classifier) → dLoss/dEmbedding
///            → model backward → SGD step at the schedule's rate for iteration i
///     test split ─ loader (test transform) ─▶ model (inference) ─▶ embeddings ─ exact kNN ─▶ Recall@K
///
/// Evaluation runs before training (epoch 0) and after every `evalEvery` epochs and the last, with
/// cosine and L2 distances; the best epoch by cosine R@1 (a tie going to the later epoch) is kept as
/// `best.safetensors`. `last.safetensors` is written after each epoch (and every `checkpointEvery`
/// iterations); a NaN loss stops the run with the last good checkpoint intact.
///
/// The run folder is locked (`RunFolderLock`) from the trainer's creation until `run()` returns, so no other
/// run writes into it meanwhile; a new run refuses a folder that holds a run unless told to overwrite it. A
/// run starts by removing the temporary files a killed writer left and, when resuming, by cutting the logs
/// back to the checkpoint (`RunFolder.rewind(to:)`), so a line is never logged twice.
///
/// Over a `ProcessGroup` (data parallelism, `configuration.processes` processes) every process computes
/// the same batch list, loads and trains on its slice of each global batch (`TrainingStep` averages the
/// gradients), embeds a shard of each evaluation split; rank 0 alone computes the metrics, writes the run
/// folder and prints. A stop (signal or iteration limit) is agreed by the processes at a step boundary.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let folder: RunFolder
    public let model: EmbeddingModel
    public let step: TrainingStep
    /// What loading `configuration.pretrained` into the backbone did (nil without weights or when resuming).
    public let pretrainedReport: StateDictLoadReport?
    private let data: TrainingData
    private let progress: ProgressReporter
    private var state: TrainingState
    /// Whether this run continues a checkpoint (then epoch 0 was evaluated already).
    private let isResumed: Bool
    /// Stop (writing `last`) once the run has done this many iterations.
    private var iterationLimit: Int?
    /// The run folder's lock while held; taken by the trainer unless its creator passed one.
    private var lock: RunFolderLock?
    private let ownsLock: Bool
    /// Whether a new run replaces the run its folder holds.
    private let overwrite: Bool

    /// The processes the run is spread over, or nil for one.
    private let processes: (any ProcessGroup)?
    /// Whether this process writes the run folder and prints (rank 0, or the only process).
    private var isRoot: Bool { (processes?.rank ?? 0) == 0 }
    /// A stop request of any process, agreed by all at the last step (always false for one process).
    private var agreedStop = false

    /// Whether the run should stop now: a signal arrived (on any process, as agreed at the last step) or
    /// the iteration limit is reached.
    private var shouldStop: Bool {
        (processes == nil ? stopRequest?.isSet == true : agreedStop) || iterationLimit.map { state.iteration >= $0 } == true
    }
    /// Set from a signal handler: write `last` and stop after the current iteration.
    private let stopRequest: StopRequest?

    /// A trainer for a new run in `runFolder`, or one resuming from `checkpoint` (the folder's `last`), in
    /// this process or over `processes` (as many as `configuration.processes`; every process passes the
    /// same configuration and checkpoint). Throws naming the counts when they differ, and `PrecisionError`
    /// when the configuration's precision does not run natively on this CPU.
    ///
    /// Before building anything the writing process (rank 0, or the only one) locks the folder (creating it
    /// when missing) — or takes `lock`, when the caller locked the folder already (as before reading
    /// `checkpoint` from it) — and, for a new run, checks that the folder holds no run unless `overwrite`
    /// (whose files are removed when `run()` starts); then it reads the dataset. A trainer that fails to
    /// start leaves no folder it created behind.
    public init(configuration: TrainingConfiguration, runFolder: URL, resumingFrom checkpoint: Checkpoint? = nil,
                overwrite: Bool = false, lock: RunFolderLock? = nil,
                stopRequest: StopRequest? = nil, progress: ProgressReporter? = nil,
                processes: (any ProcessGroup)? = nil) throws {
        try configuration.precision.checkSupported()
        let count = processes?.size ?? 1
        guard configuration.processCount == count else {
            throw TrainingError.invalidRun("the run was configured for \(configuration.processCount) process(es) "
                + "(--batch-size \(configuration.batchSize) split over them) and runs in \(count): "
                + (checkpoint != nil ? "resume it with mpirun -np \(configuration.processCount)" : "set its process count"))
        }
        self.configuration = configuration
        folder = RunFolder(runFolder)
        self.stopRequest = stopRequest
        self.processes = processes
        let writes = (processes?.rank ?? 0) == 0
        self.progress = writes ? progress ?? ProgressReporter(lineEvery: configuration.logEvery) : .silent
        self.overwrite = overwrite
        let target = runFolder.standardizedFileURL
        precondition(lock.map { $0.folder.url.standardizedFileURL == target && $0.isHeld } ?? true,
                     "the lock passed to the trainer of \(runFolder.path) is not a held lock of that folder")
        let owned = lock == nil
        ownsLock = owned
        let held = writes ? try lock ?? RunFolderLock(folder) : nil
        self.lock = held
        var started = false
        defer { if !started && owned { held?.abandon() } }
        if writes && checkpoint == nil && !overwrite { try folder.prepareNewRun(overwrite: false) }
        let dataset = try Dataset.load(configuration.dataset, at: URL(fileURLWithPath: configuration.dataPath))
        if configuration.threads > 0 { Engine.threadCount = configuration.threads }
        model = try EmbeddingModel(configuration.model, seed: configuration.seed)
        model.precision = configuration.precision
        data = try TrainingData(configuration, dataset: dataset, model: model)
        if let weights = configuration.pretrained, checkpoint == nil {
            pretrainedReport = try Self.load(weights, into: model, arch: configuration.model.arch, progress: self.progress)
        } else {
            pretrainedReport = nil
        }
        let criterion = try LossRegistry.makeCriterion(
            loss: configuration.loss, miner: configuration.miner, classes: data.classCount,
            embeddingSize: model.embeddingSize, seed: configuration.seed &+ 1)
        let optimizer = try SGD(
            groups: TrainingStep.parameterGroups(model: model, criterion: criterion, weightDecay: configuration.weightDecay),
            learningRate: configuration.lr, momentum: configuration.momentum, nesterov: configuration.nesterov)
        let schedule = try LearningRateSchedule(
            configuration.schedule, baseRate: configuration.lr,
            iterationsPerEpoch: data.batchesPerEpoch, epochs: configuration.epochs, stepEpochs: configuration.lrStep)
        step = try TrainingStep(model: model, criterion: criterion, optimizer: optimizer, schedule: schedule,
                                classCount: data.classCount, processes: processes)
        state = TrainingState()
        isResumed = checkpoint != nil
        if let checkpoint {
            try checkpoint.restore(model: model)
            try checkpoint.restore(loss: criterion.loss, optimizer: optimizer)
            state = checkpoint.state
            criterion.randomStreamPosition = state.dropoutPosition
        }
        started = true
        if let processes { try Self.startFromRootsParameters(model: model, criterion: criterion, over: processes) }
    }

    /// Gives every process rank 0's parameters and buffers (the same already when every process built the
    /// model from the same seed or checkpoint; this makes sure of it, as PyTorch DDP does).
    private static func startFromRootsParameters(model: EmbeddingModel, criterion: Criterion,
                                                 over processes: any ProcessGroup) throws {
        try processes.shareRootsValues(of: (model.namedParameters + criterion.namedParameters).map(\.parameter))
    }

    /// Loads the backbone weights file `weights` (safetensors or torchvision .pth; `fc.*` ignored) into
    /// `model` and prints which tensors loaded. Throws naming the missing or mis-shaped keys.
    private static func load(_ weights: String, into model: EmbeddingModel, arch: ResNet.Architecture,
                             progress: ProgressReporter) throws -> StateDictLoadReport {
        let report = try model.backbone.load(WeightsFile.open(URL(fileURLWithPath: weights)), strict: false,
                                             ignoring: .backbone)
        guard report.missing.isEmpty, report.mismatched.isEmpty else {
            throw TrainingError.invalidOption("\(weights) does not fit \(arch): missing "
                + "\(report.missing.joined(separator: ", ")); mismatched \(report.mismatched.map(\.description).joined(separator: ", "))")
        }
        progress.message("pretrained \(weights): loaded \(report.loaded.count) tensors"
            + (report.ignored.isEmpty ? "" : "; ignored \(report.ignored.joined(separator: ", "))")
            + (report.unexpected.isEmpty ? "" : "; not in the model \(report.unexpected.joined(separator: ", "))"))
        return report
    }

    /// Trains to the last epoch (or until a stop request, or `iterationLimit` iterations of the run, as
    /// when interrupted) and returns the evaluations. Throws `TrainingError.nonFiniteLoss` (or
    /// `.nonFiniteGradient`) when the loss or a gradient diverges (the last checkpoint written before stays).
    @discardableResult
    public func run(iterationLimit: Int? = nil) throws -> TrainingSummary {
        self.iterationLimit = iterationLimit
        defer { if ownsLock { lock?.release() } }
        if isRoot {
            if lock?.isHeld != true { lock = try RunFolderLock(folder) }
            let removed = try folder.removeTemporaryFiles()
            if !removed.isEmpty { progress.message("removed what an interrupted write left: \(removed.joined(separator: ", "))") }
            if isResumed {
                try folder.rewind(to: state)
            } else {
                try folder.prepareNewRun(overwrite: overwrite)
            }
            try folder.write(configuration)
        }
        model.isBackboneBatchNormFrozen = configuration.batchNormFrozen
        progress.message("run folder \(folder.url.path): \(data.description), \(data.batchesPerEpoch) iterations per epoch")
        if !isResumed {
            try evaluate(epoch: 0, training: nil, started: Date())
            try writeCheckpoint(to: folder.lastCheckpoint)
        }
        while state.epoch < configuration.epochs && !shouldStop {
            let epoch = state.epoch + 1
            let started = Date()
            let totals = try trainEpoch(epoch)
            if shouldStop { break }
            state.epoch = epoch
            if epoch % configuration.evalEvery == 0 || epoch == configuration.epochs {
                try evaluate(epoch: epoch, training: totals, started: started)
            }
            try writeCheckpoint(to: folder.lastCheckpoint)
        }
        let records = isRoot ? try folder.records(EvaluationRecord.self, in: folder.metrics) : []
        return TrainingSummary(records: records, bestEpoch: state.bestEpoch, folder: folder.url,
                               stopped: shouldStop && state.epoch < configuration.epochs)
    }

    /// One epoch (from the saved sampler position when resuming); returns the sums of loss, SPCE and accuracy
    /// over all its batches (those trained before an interruption included, when the checkpoint recorded them).
    private func trainEpoch(_ epoch: Int) throws -> TrainingState.EpochTotals {
        var cursor = try state.sampler.flatMap { saved in
            saved.epoch == epoch - 1 ? try BatchCursor(sampler: data.sampler, resuming: saved) : nil
        } ?? BatchCursor(sampler: data.sampler, epoch: epoch - 1)
        let stream = data.stream(for: cursor, microBatches: configuration.microBatches, rank: processes?.rank ?? 0,
                                 of: configuration.processCount)
        for _ in 0..<cursor.state.position { _ = try stream.next() }
        let total = cursor.state.batches.count
        var totals = (cursor.state.position > 0 ? state.epochTotals : nil) ?? TrainingState.EpochTotals()
        var (count, images) = (0, 0)
        let started = Date()
        while cursor.next() != nil, let batch = try stream.next() {
            let result: TrainingStep.Result
            do {
                result = try step(images: batch.images, labels: batch.labels, iteration: state.iteration,
                                  microBatches: configuration.microBatches, stopRequested: stopRequest?.isSet == true)
            } catch let failure as TrainingStep.NonFinite {
                // Iterations are numbered from 1, as in train_log.jsonl: this one would have been state.iteration + 1.
                let (iteration, checkpoint) = (state.iteration + 1, folder.lastCheckpoint.path)
                if let parameter = failure.gradientOf {
                    throw TrainingError.nonFiniteGradient(parameter: parameter, epoch: epoch, iteration: iteration,
                                                          checkpoint: checkpoint)
                }
                throw TrainingError.nonFiniteLoss(epoch: epoch, iteration: iteration, value: Float(failure.value),
                                                  checkpoint: checkpoint)
            }
            state.iteration += 1
            state.sampler = cursor.state
            agreedStop = result.stopRequested
            totals.add(result)
            state.epochTotals = totals
            count += 1
            images += batch.labels.count * configuration.processCount
            let seconds = Date().timeIntervalSince(started)
            let rate = Double(images) / max(seconds, 1e-9)
            if state.iteration % configuration.logEvery == 0 && isRoot {
                try folder.append(TrainLogRecord(
                    epoch: epoch, iteration: state.iteration, loss: result.loss, spce: result.spce,
                    accuracy: result.accuracy, lr: result.learningRate, imagesPerSecond: rate), to: folder.trainLog)
            }
            FaultInjection.reach(.iteration)
            let done = cursor.state.position
            progress.update(epoch: epoch, epochs: configuration.epochs, done: done, total: total,
                            means: totals.means, imagesPerSecond: rate,
                            secondsLeft: seconds / Double(count) * Double(total - done))
            if let every = configuration.checkpointEvery, state.iteration % every == 0 {
                try writeCheckpoint(to: folder.lastCheckpoint)
            }
            if shouldStop {
                try writeCheckpoint(to: folder.lastCheckpoint)
                progress.message("stopped at iteration \(state.iteration); resume with --resume \(folder.url.path)")
                break
            }
        }
        return totals
    }

    /// Evaluates on the test classes (and the held-out validation classes), appends to `metrics.jsonl` and
    /// keeps `best` by `EvaluationRecord.selectionRecall` (validation cosine R@1 when held out, else test;
    /// ties → later).
    private func evaluate(epoch: Int, training totals: TrainingState.EpochTotals?, started: Date) throws {
        let examples = epoch == configuration.epochs
        let evaluated = try processes.map {
            try data.evaluation.evaluate(recallAt: configuration.recallK, validation: data.validation, examples: examples,
                                         sharedWith: $0)
        } ?? data.evaluation.evaluate(recallAt: configuration.recallK, validation: data.validation, examples: examples)
        guard let evaluation = evaluated else { return }
        if let examples = evaluation.examples {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(encoder.encode(examples), to: folder.retrieval)
        }
        let record = EvaluationRecord(epoch: epoch, cosine: evaluation.cosine, l2: evaluation.l2,
                                      validation: evaluation.validation, trainLoss: totals?.means.loss,
                                      trainSpce: totals?.means.spce, trainAccuracy: totals?.means.accuracy,
                                      seconds: Date().timeIntervalSince(started))
        try folder.append(record, to: folder.metrics)
        progress.message(record.summary)
        let recall = record.selectionRecall
        if state.bestRecallAt1.map({ recall >= $0 }) ?? true {
            state.bestEpoch = epoch
            state.bestRecallAt1 = recall
            try writeCheckpoint(to: folder.bestCheckpoint)
        }
        FaultInjection.reach(.evaluation)
    }

    /// Writes a checkpoint of the current state (rank 0 only: every process holds the same state).
    private func writeCheckpoint(to url: URL) throws {
        guard isRoot else { return }
        state.dropoutPosition = step.criterion.randomStreamPosition
        try Checkpoint(model: model, loss: step.criterion.loss, optimizer: step.optimizer, classes: data.classCount,
                       state: state, configuration: configuration).write(to: url)
    }
}

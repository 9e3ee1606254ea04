import ArgumentParser
import Foundation
import MetricLearning

/// `dml train`: trains an embedding model with a preset's recipe, evaluating as it goes.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an embedding model (DESIGN §3 recipe) and evaluate Recall@K.",
        discussion: "Presets: \(Preset.all.map(\.name).joined(separator: ", ")). Options override the preset.")

    @Option(help: "Recipe: \(Preset.all.map(\.name).joined(separator: ", ")).")
    var preset: String = "fashion-mnist"
    @Option(help: "Dataset root (default: where the preset's dataset is usually installed).")
    var data: String?
    @Option(help: "Backbone: resnet18, resnet34, resnet50, resnet101.")
    var arch: String?
    @Option(help: "Backbone weights (.safetensors or torchvision .pth).")
    var pretrained: String?
    @Flag(help: "Train a paper preset without pretrained weights.")
    var fromScratch = false
    @Option(help: "Loss name from the loss registry.")
    var loss: String?
    @Option(help: "Miner name from the miner registry (pairwise losses).")
    var miner: String?
    @Option(help: "Batch sampler: random, m-per-class.")
    var sampler: String?
    @Option(help: "Images per class in a batch for the m-per-class sampler.")
    var samplesPerClass: Int?
    @Option var epochs: Int?
    @Option var lr: Double?
    @Option var momentum: Double?
    @Flag(inversion: .prefixedNo, help: "Nesterov momentum.")
    var nesterov: Bool?
    @Option var batchSize: Int?
    @Option(help: "Feature normalisation in the neck: none, batch, layer.")
    var featureNorm: String?
    @Option(help: "Embedding size of a remap Linear after the backbone.")
    var remap: Int?
    @Flag(inversion: .prefixedNo, help: "L2-normalise the embedding inside the model.")
    var l2Normalize: Bool?
    @Option var dropout: Double?
    @Option var labelSmoothing: Double?
    @Flag(name: .customLong("set-bn-eval"), inversion: .prefixedNo, help: "Freeze backbone batch norm.")
    var batchNormFrozen: Bool?
    @Option(help: "Learning-rate schedule: warmcos, cos, step, warmstep, constant.")
    var schedule: String?
    @Option(help: "Epochs between evaluations.")
    var evalEvery: Int?
    @Option(help: "Threads for the arithmetic (0: all cores).")
    var threads: Int?
    @Option(help: "Data-loading threads (0: automatic).")
    var workers: Int?
    @Option var seed: UInt64?
    @Option(help: "Side of the square network input (default: the preset's).")
    var imageSize: Int?
    @Option(help: "Iterations between training-log lines.")
    var logEvery: Int?
    @Option(help: "Iterations between `last` checkpoints within an epoch.")
    var checkpointEvery: Int?
    @Option(help: "Run folder (default: runs/<preset>-<time>).")
    var out: String?
    @Option(help: "Continue the run in this folder from its last checkpoint (only --threads, --workers, --log-every and --checkpoint-every may change).")
    var resume: String?

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let stop = StopRequest()
        stop.installSignalHandlers()
        let trainer = try resume.map { try resumedTrainer(folder: URL(fileURLWithPath: $0), stop: stop) }
            ?? newTrainer(stop: stop)
        let summary = try trainer.run()
        print(summary.description)
    }

    /// A trainer for a new run from the preset and options.
    private func newTrainer(stop: StopRequest) throws -> Trainer {
        var options = TrainingOptions()
        options.data = data
        options.arch = arch
        options.pretrained = pretrained
        options.fromScratch = fromScratch
        options.loss = loss
        options.miner = miner
        options.sampler = sampler
        options.samplesPerClass = samplesPerClass
        options.epochs = epochs
        options.lr = lr
        options.momentum = momentum
        options.nesterov = nesterov
        options.batchSize = batchSize
        options.featureNorm = featureNorm
        options.remap = remap
        options.l2Normalize = l2Normalize
        options.dropout = dropout
        options.labelSmoothing = labelSmoothing
        options.batchNormFrozen = batchNormFrozen
        options.schedule = schedule
        options.evalEvery = evalEvery
        options.threads = threads
        options.workers = workers
        options.seed = seed
        options.imageSize = imageSize
        options.logEvery = logEvery
        options.checkpointEvery = checkpointEvery
        let resolved = try Preset.named(preset)
        let configuration = try TrainingConfiguration(preset: resolved, options: options)
        let folder = URL(fileURLWithPath: out ?? "runs/\(preset)-\(Self.timestamp())")
        return try Trainer(configuration: configuration, runFolder: folder, stopRequest: stop)
    }

    /// A trainer continuing `folder`'s run from `last.safetensors`. Options that would change what is
    /// trained are refused: the schedule and the random streams depend on them.
    private func resumedTrainer(folder: URL, stop: StopRequest) throws -> Trainer {
        let changed: [(String, Bool)] = [
            ("--data", data != nil), ("--arch", arch != nil), ("--pretrained", pretrained != nil),
            ("--from-scratch", fromScratch), ("--loss", loss != nil), ("--miner", miner != nil),
            ("--sampler", sampler != nil), ("--samples-per-class", samplesPerClass != nil), ("--epochs", epochs != nil),
            ("--lr", lr != nil), ("--momentum", momentum != nil), ("--nesterov", nesterov != nil),
            ("--batch-size", batchSize != nil), ("--feature-norm", featureNorm != nil), ("--remap", remap != nil),
            ("--l2-normalize", l2Normalize != nil), ("--dropout", dropout != nil),
            ("--label-smoothing", labelSmoothing != nil), ("--set-bn-eval", batchNormFrozen != nil),
            ("--schedule", schedule != nil), ("--eval-every", evalEvery != nil),
            ("--seed", seed != nil), ("--image-size", imageSize != nil), ("--out", out != nil),
        ]
        let refused = changed.filter(\.1).map(\.0)
        guard refused.isEmpty else {
            throw ValidationError("--resume continues the saved configuration; it cannot change \(refused.joined(separator: ", "))")
        }
        let run = RunFolder(folder)
        var configuration = try TrainingConfiguration.read(from: run.configuration)
        guard FileManager.default.fileExists(atPath: run.lastCheckpoint.path) else {
            throw TrainingError.invalidRun("\(run.lastCheckpoint.path) not found: nothing to resume")
        }
        let checkpoint = try Checkpoint.read(from: run.lastCheckpoint)
        if let threads { configuration.threads = threads }
        if let workers { configuration.workers = workers }
        if let logEvery { configuration.logEvery = logEvery }
        if let checkpointEvery { configuration.checkpointEvery = checkpointEvery }
        return try Trainer(configuration: configuration, runFolder: folder, resumingFrom: checkpoint, stopRequest: stop)
    }

    /// The current UTC time as yyyyMMdd-HHmmss.
    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

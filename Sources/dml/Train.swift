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
    @Option(help: "Share of training classes held out for choosing the best epoch.")
    var valClasses: Double?
    @Option(help: "Threads for the arithmetic (0: all cores).")
    var threads: Int?
    @Option(help: "Data-loading threads (0: automatic).")
    var workers: Int?
    @Option var seed: UInt64?
    @Option(help: "Iterations between training-log lines.")
    var logEvery: Int?
    @Option(help: "Iterations between `last` checkpoints within an epoch.")
    var checkpointEvery: Int?
    @Option(help: "Run folder (default: runs/<preset>-<time>).")
    var out: String?

    func run() throws {
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
        options.valClasses = valClasses
        options.threads = threads
        options.workers = workers
        options.seed = seed
        options.logEvery = logEvery
        options.checkpointEvery = checkpointEvery
        let resolved = try Preset.named(preset)
        let configuration = try TrainingConfiguration(preset: resolved, options: options)
        let folder = URL(fileURLWithPath: out ?? "runs/\(preset)-\(Self.timestamp())")
        let trainer = try Trainer(configuration: configuration, runFolder: folder)
        let summary = try trainer.run()
        print(summary.description)
    }

    /// The current UTC time as yyyyMMdd-HHmmss.
    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

import MLData
import MLEngine
import MLLosses
import MLModels

/// Command-line overrides of a preset; nil leaves the preset's value.
public struct TrainingOptions: Sendable {
    public var data: String?
    public var arch: ResNet.Architecture?
    public var pretrained: String?
    public var fromScratch = false
    public var loss: LossSpecification?
    /// A miner, or one named `none` for no miner.
    public var miner: LossSpecification?
    public var sampler: SamplerKind?
    public var samplesPerClass: Int?
    public var epochs: Int?
    public var lr: Double?
    public var momentum: Double?
    public var nesterov: Bool?
    public var batchSize: Int?
    public var accumulate: Int?
    /// The processes of a data-parallel run (nil or 1: one); set from the MPI launch, not a flag.
    public var processes: Int?
    public var featureNorm: FeatureNorm?
    public var remap: Int?
    public var l2Normalize: Bool?
    public var dropout: Double?
    public var labelSmoothing: Double?
    public var batchNormFrozen: Bool?
    public var schedule: LearningRateSchedule.Kind?
    public var evalEvery: Int?
    public var valClasses: Double?
    public var threads: Int?
    public var workers: Int?
    public var seed: UInt64?
    public var precision: Precision?
    public var imageSize: Int?
    public var logEvery: Int?
    public var checkpointEvery: Int?

    public init() {}
}

extension TrainingConfiguration {
    /// `preset` with `options` applied, checked for consistency (loss and miner names against the registry).
    public init(preset: Preset, options: TrainingOptions) throws {
        guard let dataPath = options.data ?? preset.defaultDataPath else {
            throw TrainingError.invalidOption("preset '\(preset.name)' needs --data: the dataset's root folder")
        }
        if options.pretrained != nil && options.fromScratch {
            throw TrainingError.invalidOption("--pretrained and --from-scratch exclude each other")
        }
        if preset.needsPretrainedWeights && options.pretrained == nil && !options.fromScratch {
            throw TrainingError.invalidOption(
                "preset '\(preset.name)' fine-tunes ImageNet weights: pass --pretrained FILE (.safetensors or torchvision .pth, e.g. resnet50-0676ba61.pth) or --from-scratch")
        }
        let dropout = options.dropout ?? preset.dropout
        let labelSmoothing = options.labelSmoothing ?? Preset.labelSmoothing
        let loss = try Self.lossSpecification(options.loss ?? LossSpecification(name: "cross_entropy"),
                                              dropout: dropout, smoothing: labelSmoothing)
        if let miner = options.miner, miner.name != "none" { _ = try LossRegistry.miner(named: miner.name) }
        let momentum = options.momentum ?? preset.momentum
        let sampler = try options.sampler ?? (LossRegistry.loss(named: loss.name).kind == .classification ? .random : .mPerClass)
        let model = EmbeddingModel.Settings(
            arch: options.arch ?? preset.arch, featureNorm: options.featureNorm ?? preset.featureNorm,
            remap: options.remap, l2Normalize: options.l2Normalize ?? false)
        self.init(
            preset: preset.name, dataPath: dataPath, dataset: preset.dataset, model: model,
            pretrained: options.pretrained, imageSize: options.imageSize ?? preset.transforms.defaultImageSize,
            batchNormFrozen: options.batchNormFrozen ?? preset.batchNormFrozen,
            loss: loss, miner: options.miner,
            sampler: sampler,
            samplesPerClass: options.samplesPerClass ?? 4,
            dropout: dropout, labelSmoothing: labelSmoothing,
            epochs: options.epochs ?? preset.epochs, batchSize: options.batchSize ?? preset.batchSize,
            accumulate: options.accumulate, processes: options.processes.flatMap { $0 > 1 ? $0 : nil },
            testBatchSize: preset.testBatchSize, lr: options.lr ?? preset.lr, momentum: momentum,
            nesterov: momentum > 0 && (options.nesterov ?? preset.nesterov), weightDecay: Preset.weightDecay,
            schedule: options.schedule ?? .warmcos, lrStep: 10, evalEvery: options.evalEvery ?? 1,
            valClasses: options.valClasses, recallK: preset.recallK,
            seed: options.seed ?? 0, precision: options.precision ?? .fp32, threads: options.threads ?? 0,
            workers: options.workers ?? 0, logEvery: options.logEvery ?? 50, checkpointEvery: options.checkpointEvery,
            transforms: preset.transforms, provenance: .current())
        try validate()
    }

    /// `specification` checked against the registry; the paper's cross-entropy gets `dropout` and
    /// `smoothing` unless the specification sets them.
    static func lossSpecification(_ specification: LossSpecification, dropout: Double,
                                  smoothing: Double) throws -> LossSpecification {
        _ = try LossRegistry.loss(named: specification.name)
        guard specification.name == "cross_entropy" else { return specification }
        var parameters = specification.parameters
        parameters["dropout"] = parameters["dropout"] ?? String(dropout)
        parameters["smoothing"] = parameters["smoothing"] ?? String(smoothing)
        return LossSpecification(name: specification.name, parameters: parameters)
    }

    /// Throws for values out of range.
    func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw TrainingError.invalidOption(message) }
        }
        try require(imageSize >= 16, "--image-size must be at least 16, got \(imageSize)")
        try require(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try require(batchSize >= 2, "--batch-size must be at least 2, got \(batchSize)")
        try require(microBatches >= 1, "--accumulate must be at least 1, got \(microBatches)")
        try require(batchSize % processCount == 0,
                    "--batch-size \(batchSize) is the global batch of the \(processCount) processes: it must be a multiple of \(processCount)")
        try require(lr > 0 && lr.isFinite, "--lr must be positive, got \(lr)")
        try require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got \(momentum)")
        try require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got \(dropout)")
        try require(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must be in [0, 1), got \(labelSmoothing)")
        try require(evalEvery >= 1, "--eval-every must be at least 1, got \(evalEvery)")
        try require(valClasses.map { $0 > 0 && $0 < 1 } ?? true, "--val-classes must be in (0, 1), got \(valClasses ?? 0)")
        try require(model.remap.map { $0 >= 1 } ?? true, "--remap must be at least 1, got \(model.remap ?? 0)")
        try require(samplesPerClass >= 2, "--samples-per-class must be at least 2, got \(samplesPerClass)")
        try require(sampler != .mPerClass || batchSize % samplesPerClass == 0,
                    "--batch-size \(batchSize) must be a multiple of --samples-per-class \(samplesPerClass)")
        try require(logEvery >= 1, "--log-every must be at least 1, got \(logEvery)")
        try require(checkpointEvery.map { $0 >= 1 } ?? true, "--checkpoint-every must be at least 1")
    }
}

import MLFormats

extension Checkpoint {
    /// The `__metadata__` entry holding the CRC-32 of the tensor data (`SafeTensorsFile.dataCRC32()`),
    /// which `write(to:)` records and `read(from:)` checks.
    public static let checksumKey = "data_crc32"

    /// The largest image side and class count a checkpoint may declare: beyond any dataset the package
    /// reads, and small enough that building the model and its inputs cannot exhaust memory.
    static let maximumImageSize = 8192
    static let maximumClasses = 1 << 24

    /// Throws unless the tensor data matches the checksum in the metadata. A file without one (written
    /// elsewhere, or before checksums) passes.
    func verifyChecksum(source: String) throws {
        guard let recorded = weights.metadata[Self.checksumKey] else { return }
        let computed = weights.dataCRC32()
        guard recorded == computed else {
            throw TrainingError.invalidRun("\(source): the tensor data does not match the checkpoint's checksum "
                + "(\(Self.checksumKey) \(recorded), the data gives \(computed)): the file is damaged")
        }
    }

    /// Throws, naming the metadata field, for values no training run writes: a checkpoint may come from
    /// anywhere, and the model, its inputs and its loss are built from these numbers.
    func validateMetadata(source: String) throws {
        func require(_ condition: Bool, _ field: String, _ problem: @autoclosure () -> String) throws {
            guard condition else { throw TrainingError.invalidRun("\(source): checkpoint metadata \(field) \(problem())") }
        }
        let config = configuration, model = config.model
        try require((16...Self.maximumImageSize).contains(config.imageSize), "config.image_size",
                    "is \(config.imageSize); it must be from 16 to \(Self.maximumImageSize) pixels")
        try require(model.remap.map { (1...65_536).contains($0) } ?? true, "config.remap",
                    "is \(model.remap ?? 0); an embedding size must be from 1 to 65536")
        try require(model.mean.count == 3 && model.mean.allSatisfy(\.isFinite), "config.mean",
                    "is \(model.mean); it needs 3 finite values")
        try require(model.std.count == 3 && model.std.allSatisfy { $0.isFinite && $0 > 0 }, "config.std",
                    "is \(model.std); it needs 3 positive values")
        try require((1...Self.maximumClasses).contains(classes), "head.classes",
                    "is \(classes); a classifier needs from 1 to \(Self.maximumClasses) classes")
        try require(config.epochs >= 1, "config.epochs", "is \(config.epochs); it must be at least 1")
        try require(config.batchSize >= 1 && config.testBatchSize >= 1, "config.batch_size",
                    "is \(config.batchSize) (test \(config.testBatchSize)); batches need at least one image")
        try require(config.microBatches >= 1, "config.accumulate", "is \(config.microBatches); it must be at least 1")
        try require(config.samplesPerClass >= 1, "config.samples_per_class", "is \(config.samplesPerClass)")
        try require(config.lr.isFinite && config.lr > 0, "config.lr", "is \(config.lr); it must be positive")
        try require((0..<1).contains(config.momentum), "config.momentum", "is \(config.momentum); it must be in [0, 1)")
        try require(config.weightDecay.isFinite && config.weightDecay >= 0, "config.weight_decay", "is \(config.weightDecay)")
        try require((0..<1).contains(config.dropout), "config.dropout", "is \(config.dropout); it must be in [0, 1)")
        try require((0..<1).contains(config.labelSmoothing), "config.label_smoothing",
                    "is \(config.labelSmoothing); it must be in [0, 1)")
        try require(config.lrStep.isFinite && config.lrStep > 0, "config.lr_step", "is \(config.lrStep); it must be positive")
        try require(config.evalEvery >= 1 && config.logEvery >= 1 && (config.checkpointEvery ?? 1) >= 1,
                    "config.eval_every, log_every or checkpoint_every", "is below 1")
        try require(config.valClasses.map { $0 > 0 && $0 < 1 } ?? true, "config.val_classes",
                    "is \(config.valClasses ?? 0); it must be in (0, 1)")
        try require(!config.recallK.isEmpty && config.recallK.allSatisfy { $0 >= 1 }, "config.recall_k",
                    "is \(config.recallK); every K must be at least 1")
        try require(config.threads >= 0 && config.workers >= 0, "config.threads or workers", "is negative")
        try require((0...config.epochs).contains(state.epoch), "state.epoch",
                    "is \(state.epoch); the run has \(config.epochs) epochs")
        try require(state.iteration >= 0, "state.iteration", "is \(state.iteration)")
        try require(state.bestEpoch.map { (0...state.epoch).contains($0) } ?? true, "state.best_epoch",
                    "is \(state.bestEpoch ?? 0), after the saved epoch \(state.epoch)")
        try require(state.bestRecallAt1.map { (0...1).contains($0) } ?? true, "state.best_recall_at1",
                    "is \(state.bestRecallAt1 ?? 0); a recall is from 0 to 1")
        try require(state.epochTotals.map { $0.batches >= 0 && $0.loss.isFinite && $0.spce.isFinite } ?? true,
                    "state.epoch_totals", "holds a negative count or a non-finite sum")
    }
}

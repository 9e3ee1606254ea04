import MLData
import MLEngine
import MLLosses
import MLModels

extension TrainingConfiguration: Codable {
    /// The keys beside the model's own (which `EmbeddingModel.Settings` reads and writes at the same level).
    private enum CodingKeys: String, CodingKey {
        case preset, dataPath, dataset, pretrained, imageSize, embeddingSize, batchNormFrozen, loss, miner, sampler
        case samplesPerClass, dropout, labelSmoothing, epochs, batchSize, accumulate, processes, testBatchSize, lr, momentum
        case nesterov, weightDecay, schedule, lrStep, evalEvery, valClasses, recallK, seed, precision, threads, workers
        case logEvery, checkpointEvery, transforms, provenance
    }

    public init(from decoder: any Decoder) throws {
        model = try EmbeddingModel.Settings(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decode(String.self, forKey: .preset)
        dataPath = try c.decode(String.self, forKey: .dataPath)
        dataset = try c.decode(DatasetFormat.self, forKey: .dataset)
        pretrained = try c.decodeIfPresent(String.self, forKey: .pretrained)
        imageSize = try c.decode(Int.self, forKey: .imageSize)
        batchNormFrozen = try c.decode(Bool.self, forKey: .batchNormFrozen)
        loss = try c.decode(LossSpecification.self, forKey: .loss)
        miner = try c.decodeIfPresent(LossSpecification.self, forKey: .miner)
        sampler = try c.decode(SamplerKind.self, forKey: .sampler)
        samplesPerClass = try c.decode(Int.self, forKey: .samplesPerClass)
        dropout = try c.decode(Double.self, forKey: .dropout)
        labelSmoothing = try c.decode(Double.self, forKey: .labelSmoothing)
        epochs = try c.decode(Int.self, forKey: .epochs)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        accumulate = try c.decodeIfPresent(Int.self, forKey: .accumulate)
        processes = try c.decodeIfPresent(Int.self, forKey: .processes)
        testBatchSize = try c.decode(Int.self, forKey: .testBatchSize)
        lr = try c.decode(Double.self, forKey: .lr)
        momentum = try c.decode(Double.self, forKey: .momentum)
        nesterov = try c.decode(Bool.self, forKey: .nesterov)
        weightDecay = try c.decode(Double.self, forKey: .weightDecay)
        schedule = try c.decode(LearningRateSchedule.Kind.self, forKey: .schedule)
        lrStep = try c.decode(Double.self, forKey: .lrStep)
        evalEvery = try c.decode(Int.self, forKey: .evalEvery)
        valClasses = try c.decodeIfPresent(Double.self, forKey: .valClasses)
        recallK = try c.decode([Int].self, forKey: .recallK)
        seed = try c.decode(UInt64.self, forKey: .seed)
        precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? .fp32
        threads = try c.decode(Int.self, forKey: .threads)
        workers = try c.decode(Int.self, forKey: .workers)
        logEvery = try c.decode(Int.self, forKey: .logEvery)
        checkpointEvery = try c.decodeIfPresent(Int.self, forKey: .checkpointEvery)
        transforms = try c.decode(TransformPreset.self, forKey: .transforms)
        provenance = try c.decode(Provenance.self, forKey: .provenance)
    }

    public func encode(to encoder: any Encoder) throws {
        try model.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(preset, forKey: .preset)
        try c.encode(dataPath, forKey: .dataPath)
        try c.encode(dataset, forKey: .dataset)
        try c.encodeIfPresent(pretrained, forKey: .pretrained)
        try c.encode(imageSize, forKey: .imageSize)
        // Derived from the model; written for tools that read config.json, ignored when read back.
        try c.encode(model.embeddingSize, forKey: .embeddingSize)
        try c.encode(batchNormFrozen, forKey: .batchNormFrozen)
        try c.encode(loss, forKey: .loss)
        try c.encodeIfPresent(miner, forKey: .miner)
        try c.encode(sampler, forKey: .sampler)
        try c.encode(samplesPerClass, forKey: .samplesPerClass)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(labelSmoothing, forKey: .labelSmoothing)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encodeIfPresent(accumulate, forKey: .accumulate)
        try c.encodeIfPresent(processes, forKey: .processes)
        try c.encode(testBatchSize, forKey: .testBatchSize)
        try c.encode(lr, forKey: .lr)
        try c.encode(momentum, forKey: .momentum)
        try c.encode(nesterov, forKey: .nesterov)
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(schedule, forKey: .schedule)
        try c.encode(lrStep, forKey: .lrStep)
        try c.encode(evalEvery, forKey: .evalEvery)
        try c.encodeIfPresent(valClasses, forKey: .valClasses)
        try c.encode(recallK, forKey: .recallK)
        try c.encode(seed, forKey: .seed)
        // Absent means fp32, so fp32 runs write the configuration they always wrote.
        if precision != .fp32 { try c.encode(precision, forKey: .precision) }
        try c.encode(threads, forKey: .threads)
        try c.encode(workers, forKey: .workers)
        try c.encode(logEvery, forKey: .logEvery)
        try c.encodeIfPresent(checkpointEvery, forKey: .checkpointEvery)
        try c.encode(transforms, forKey: .transforms)
        try c.encode(provenance, forKey: .provenance)
    }
}

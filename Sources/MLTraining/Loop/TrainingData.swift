import Foundation
import MLData
import MLEngine
import MLEvaluation
import MLModels

/// A run's data: the training split with its sampler and loader, and the evaluation data (test classes).
/// With `valClasses`, a share of the training classes is held out as the `validation` split
/// (leave-one-out), never trained on.
final class TrainingData: CustomStringConvertible {
    /// The images trained on (labels contiguous over the classes trained on).
    let train: DatasetSplit
    /// The held-out training classes, or nil without `valClasses`.
    let validation: DatasetSplit?
    /// The test classes, embedded by the trained model.
    let evaluation: EvaluationData
    let sampler: any BatchSampler
    private let loader: BatchLoader

    /// Builds the sampler, loader and evaluation data of `dataset` (the configuration's, read) for `model`.
    /// Throws naming a missing split or an option the data cannot satisfy.
    init(_ configuration: TrainingConfiguration, dataset: Dataset, model: EmbeddingModel) throws {
        let trainSplit = try dataset.split("train")
        if let fraction = configuration.valClasses {
            (train, validation) = try Self.holdOut(fraction, of: trainSplit, seed: configuration.seed)
        } else {
            (train, validation) = (trainSplit, nil)
        }
        evaluation = try EvaluationData(dataset, embedder: Embedder(model: model, configuration: configuration))
        sampler = try configuration.sampler.make(labels: train.labels, batchSize: configuration.effectiveBatchSize,
                                                 samplesPerClass: configuration.samplesPerClass, seed: configuration.seed)
        loader = BatchLoader(split: train, height: configuration.imageSize, width: configuration.imageSize,
                             pipeline: configuration.pipelines.train,
                             options: .init(workers: BatchLoader.Options.workers(requested: configuration.workers),
                                            prefetch: 2, seed: configuration.seed))
    }

    /// `split` without round(`fraction` × classes) of its classes (chosen by `seed`), and those classes as the
    /// validation split. Throws naming `--val-classes` when either side would have fewer than 2 classes.
    static func holdOut(_ fraction: Double, of split: DatasetSplit,
                        seed: UInt64) throws -> (train: DatasetSplit, validation: DatasetSplit) {
        let classes = Array(Set(split.labels)).sorted()
        let count = Int((fraction * Double(classes.count)).rounded())
        guard count >= 2, classes.count - count >= 2 else {
            throw TrainingError.invalidOption(
                "--val-classes \(fraction) would hold out \(count) of the \(classes.count) training classes, leaving "
                + "\(classes.count - count) to train on; both sides need at least 2 classes")
        }
        var generator = SeededGenerator(seed: seed).substream(Self.validationStream)
        let held = Set(generator.choose(count, from: classes))
        let indices = split.labels.indices
        return (split.subset(indices.filter { !held.contains(split.labels[$0]) }, name: split.name),
                split.subset(indices.filter { held.contains(split.labels[$0]) }, name: "validation"))
    }

    /// The key of the random stream that picks the validation classes ("VAL").
    static let validationStream: UInt64 = 0x56_41_4C

    /// The number of training classes (the classifier's outputs).
    var classCount: Int { (train.labels.max() ?? -1) + 1 }

    var batchesPerEpoch: Int { sampler.batchesPerEpoch }

    var description: String {
        "\(train.count) training images of \(train.classCount) classes, "
            + (validation.map { "\($0.count) validation images of \($0.classCount) held-out training classes, " } ?? "")
            + (evaluation.gallery.map { "\(evaluation.queries.count) queries against \($0.count) gallery images" }
                ?? "\(evaluation.queries.count) test images of \(evaluation.queries.classCount) classes (leave-one-out)")
    }

    /// Starts loading the batches of `cursor`'s epoch. The whole epoch is loaded (each sample's random
    /// stream is keyed by its position in the epoch), so a resumed epoch skips the batches already trained.
    ///
    /// For process `rank` of `processes` > 1, each optimizer step's batch is cut into its `microBatches`
    /// global batches and this process loads slice `rank` of W of each (keyed by its position in the whole
    /// epoch), so it decodes only its own images.
    func stream(for cursor: BatchCursor, microBatches: Int, rank: Int, of processes: Int) -> StepStream {
        guard processes > 1 else {
            return StepStream(loader.load(cursor.state.batches, epoch: cursor.state.epoch), batchesPerStep: 1)
        }
        let parts = cursor.state.batches.flatMap { batch in
            let size = batch.count / microBatches
            return (0..<microBatches).map { Array(batch[($0 * size)..<(($0 + 1) * size)]) }
        }
        return StepStream(loader.load(parts, epoch: cursor.state.epoch, part: rank, of: processes),
                          batchesPerStep: microBatches)
    }
}

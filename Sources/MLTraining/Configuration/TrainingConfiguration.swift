import Foundation
import MLData
import MLEngine
import MLLosses
import MLModels

/// The fully resolved settings of a training run: a preset with the command line's overrides applied.
/// Written to the run folder as `config.json` (snake_case keys) and read back by `--resume`.
///
/// The network's settings are embedded (`model`, an `EmbeddingModel.Settings`) and written flat beside
/// the others, so the keys are those of every earlier `config.json`: `arch`, `feature_norm`, `remap`,
/// `l2_normalize`, `mean`, `std`. Enumerations are written as their names (`"resnet50"`, `"m-per-class"`).
public struct TrainingConfiguration: Sendable, Equatable {
    /// The preset the run started from.
    public var preset: String
    /// The dataset root.
    public var dataPath: String
    public var dataset: DatasetFormat
    /// The network: backbone, neck and input normalisation.
    public var model: EmbeddingModel.Settings
    /// The weights file the backbone started from, or nil when trained from scratch.
    public var pretrained: String?
    /// The side of the square images fed to the network.
    public var imageSize: Int
    /// Backbone batch norm frozen during training.
    public var batchNormFrozen: Bool
    /// The loss and its parameters.
    public var loss: LossSpecification
    /// The miner, or nil for the loss's default (a miner named `none`: no miner).
    public var miner: LossSpecification?
    public var sampler: SamplerKind
    /// Images per class in a batch for the m-per-class sampler.
    public var samplesPerClass: Int
    public var dropout: Double
    public var labelSmoothing: Double
    public var epochs: Int
    /// Images per forward and backward pass (a micro-batch when accumulating).
    public var batchSize: Int
    /// Micro-batches of `batchSize` whose gradients make one optimizer step (`--accumulate`; nil: 1). The
    /// sampler draws batches of `accumulate × batchSize` and the schedule counts optimizer steps.
    public var accumulate: Int?
    /// The number of processes of a data-parallel run (`mpirun -np W`), or nil for one: `batchSize` is then
    /// the global batch, B / W rows on each process. A run resumes only with the same number.
    public var processes: Int? = nil
    public var testBatchSize: Int
    public var lr: Double
    public var momentum: Double
    public var nesterov: Bool
    /// Weight decay on parameters of dimension > 1.
    public var weightDecay: Double
    public var schedule: LearningRateSchedule.Kind
    /// Epochs between the step schedules' decays.
    public var lrStep: Double
    /// Epochs between evaluations.
    public var evalEvery: Int
    /// The share of the training classes held out to choose the best epoch on (`--val-classes`), or nil:
    /// the best epoch is then chosen on the test classes.
    public var valClasses: Double?
    public var recallK: [Int]
    public var seed: UInt64
    /// The backbone's arithmetic (`--precision`): fp32, or bf16 mixed precision (docs/precision.md).
    /// Checkpoints hold Float32 weights either way. Written to `config.json` only when bf16.
    public var precision: Precision = .fp32
    /// OpenMP threads for the arithmetic (data loading uses its own).
    public var threads: Int
    /// Data-loading threads (0: automatic).
    public var workers: Int
    /// Iterations between training-log lines.
    public var logEvery: Int
    /// Iterations between `last` checkpoints inside an epoch, or nil (epoch ends only).
    public var checkpointEvery: Int?
    /// The image transforms, applied at `imageSize`.
    public var transforms: TransformPreset
    public var provenance: Provenance

    /// Processes the run is spread over (1 without MPI).
    public var processCount: Int { processes ?? 1 }

    /// Micro-batches per optimizer step (1 without accumulation).
    public var microBatches: Int { accumulate ?? 1 }

    /// Images per optimizer step: the sampler's batch size.
    public var effectiveBatchSize: Int { batchSize * microBatches }

    /// The train and test pipelines of `transforms` at `imageSize`.
    public var pipelines: (train: ImagePipeline, test: ImagePipeline) {
        (transforms.train(imageSize: imageSize), transforms.test(imageSize: imageSize))
    }

    /// JSON as written to `config.json`: snake_case keys, sorted, indented.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a `config.json`.
    public static func read(from url: URL) throws -> TrainingConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.invalidRun("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try read(bytes: data, source: url.path)
    }

    /// Reads the bytes of a `config.json` (as a data-parallel run's rank 0 read and broadcast them); errors
    /// name `source`.
    public static func read(bytes data: Data, source: String) throws -> TrainingConfiguration {
        do { return try decoded(from: data) } catch {
            throw TrainingError.invalidRun("\(source) is not a training configuration: \(error)")
        }
    }

    /// Decodes `config.json`'s JSON (snake_case keys).
    static func decoded(from data: Data) throws -> TrainingConfiguration {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TrainingConfiguration.self, from: data)
    }
}

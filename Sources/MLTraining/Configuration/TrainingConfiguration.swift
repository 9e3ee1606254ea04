import Foundation
import MLData
import MLModels

/// The fully resolved settings of a training run: a preset with the command line's overrides applied.
/// Written to the run folder as `config.json` (snake_case keys) and read back by `--resume`.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var preset: String
    /// The dataset root.
    public var dataPath: String
    public var dataset: DatasetFormat
    public var arch: String
    /// The weights file the backbone started from, or nil when trained from scratch.
    public var pretrained: String?
    /// The side of the square images fed to the network.
    public var imageSize: Int
    /// The embedding dimension (the remap size, else the backbone's feature count).
    public var embeddingSize: Int
    public var featureNorm: FeatureNorm
    /// The remap Linear's output size, or nil for none.
    public var remap: Int?
    /// L2-normalise the embedding inside the model.
    public var l2Normalize: Bool
    /// Backbone batch norm frozen during training.
    public var batchNormFrozen: Bool
    /// Per-channel normalisation applied inside the model to [0, 1] input.
    public var mean: [Float]
    public var std: [Float]
    /// The loss's registry name.
    public var loss: String
    /// The miner's registry name, or nil.
    public var miner: String?
    /// The batch sampler: "random" (batches without replacement) or "m-per-class".
    public var sampler: String
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
    public var testBatchSize: Int
    public var lr: Double
    public var momentum: Double
    public var nesterov: Bool
    /// Weight decay on parameters of dimension > 1.
    public var weightDecay: Double
    /// The learning-rate schedule: warmcos, cos, step, warmstep, constant.
    public var schedule: String
    /// Epochs between the step schedules' decays.
    public var lrStep: Double
    /// Epochs between evaluations.
    public var evalEvery: Int
    /// The share of the training classes held out to choose the best epoch on (`--val-classes`), or nil:
    /// the best epoch is then chosen on the test classes.
    public var valClasses: Double?
    public var recallK: [Int]
    public var seed: UInt64
    /// OpenMP threads for the arithmetic (data loading uses its own).
    public var threads: Int
    /// Data-loading threads.
    public var workers: Int
    /// Iterations between training-log lines.
    public var logEvery: Int
    /// Iterations between `last` checkpoints inside an epoch, or nil (epoch ends only).
    public var checkpointEvery: Int?
    /// The image transforms' preset (`TransformPreset`), applied at `imageSize`.
    public var transforms: String
    public var provenance: Provenance

    /// Micro-batches per optimizer step (1 without accumulation).
    public var microBatches: Int { accumulate ?? 1 }

    /// Images per optimizer step: the sampler's batch size.
    public var effectiveBatchSize: Int { batchSize * microBatches }

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
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(TrainingConfiguration.self, from: data) } catch {
            throw TrainingError.invalidRun("\(url.path) is not a training configuration: \(error)")
        }
    }
}

extension DatasetFormat: Codable {}

extension TrainingConfiguration {
    /// The train and test pipelines of `transforms` at `imageSize`.
    public func pipelines() throws -> (train: ImagePipeline, test: ImagePipeline) {
        guard let preset = TransformPreset(rawValue: transforms) else {
            throw TrainingError.unknownName(kind: "transform preset", name: transforms,
                                            valid: TransformPreset.allCases.map(\.rawValue))
        }
        return (preset.train(imageSize: imageSize), preset.test(imageSize: imageSize))
    }
}

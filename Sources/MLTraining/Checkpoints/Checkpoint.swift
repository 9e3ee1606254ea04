import Foundation
import MLData
import MLEngine
import MLFormats
import MLLosses
import MLModels

/// A training checkpoint (DESIGN §6): one safetensors file holding the model's parameters and buffers
/// (torchvision names for the backbone, `neck.*`), the loss's as `loss.*`, the optimizer's momentum buffers
/// as `optimizer.<parameter name>`, and in `__metadata__` everything needed to use the model without a
/// preset — model settings (arch, neck, mean/std), head (loss, classes, embedding size), transforms —
/// plus the training state (epoch, iteration, sampler and RNG positions) and the run's configuration.
public struct Checkpoint: Sendable {
    /// The format tag in `__metadata__["format"]`.
    public static let format = "dml-checkpoint-1"

    /// The run's configuration, which defines the model, its transforms and its loss.
    public var configuration: TrainingConfiguration
    /// Where training stood.
    public var state: TrainingState
    /// The number of training classes the loss's classifier scores.
    public var classes: Int
    /// The tensors: model, `loss.*`, `optimizer.*`.
    public var weights: SafeTensorsFile

    /// What the checkpoint's model is.
    public var model: EmbeddingModel.Settings { configuration.model }
    /// The classification head / loss the model was trained with.
    public var head: Head {
        Head(loss: configuration.loss.description, classes: classes, embeddingSize: model.embeddingSize)
    }
    /// The image transforms (the test transform is what `dml embed` applies).
    public var transforms: Transforms { Transforms(preset: configuration.transforms, imageSize: configuration.imageSize) }

    /// The loss a checkpoint's model was trained with (the `head` metadata entry).
    public struct Head: Codable, Sendable, Equatable {
        public var loss: String
        public var classes: Int
        public var embeddingSize: Int
    }

    /// The image pipelines: a `TransformPreset` at an image size (the `transforms` metadata entry).
    public struct Transforms: Codable, Sendable, Equatable {
        public var preset: TransformPreset
        public var imageSize: Int

        /// The evaluation pipeline.
        public func test() -> ImagePipeline { preset.test(imageSize: imageSize) }
    }

    /// A checkpoint of `model`, `loss` (scoring `classes` classes) and `optimizer` (momentum buffers) at
    /// `state`, trained with `configuration`.
    public init(model: EmbeddingModel, loss: any MetricLoss, optimizer: SGD, classes: Int,
                state: TrainingState, configuration: TrainingConfiguration) {
        self.configuration = configuration
        self.state = state
        self.classes = classes
        var weights = SafeTensorsFile(stateDictOf: model)
        for (name, parameter) in loss.namedParameters { weights.add(parameter.value, named: Self.lossPrefix + name) }
        for (name, buffer) in optimizer.momentumBuffers.sorted(by: { $0.key < $1.key }) {
            weights.add(buffer, named: Self.optimizerPrefix + name)
        }
        self.weights = weights
    }

    /// Writes the checkpoint atomically to `url`: a failed write leaves any previous file intact. The
    /// metadata holds the configuration (`config`) and, for tools that read only what they need, the
    /// model's settings (`model`), the head and the transforms, which the configuration determines.
    public func write(to url: URL) throws {
        var file = weights
        file.metadata = [
            "format": Self.format, "model": try Self.json(model), "head": try Self.json(head),
            "transforms": try Self.json(transforms), "state": try Self.json(state),
            "config": String(decoding: try configuration.encoded(), as: UTF8.self),
            Self.checksumKey: file.dataCRC32(),
        ]
        let bytes = file.serialized()
        try AtomicFile.write(to: url) { writer in
            try FaultInjection.write(bytes, splitAt: .checkpointWrite, with: writer.write)
        }
    }

    /// Reads a checkpoint written by `write(to:)`; throws naming the file and the missing or bad entry,
    /// when the tensor data does not match its recorded checksum, or when a metadata value is out of range
    /// (`Checkpoint+Validation.swift`).
    public static func read(from url: URL) throws -> Checkpoint {
        try read(SafeTensorsFile(contentsOf: url), source: url.path)
    }

    /// Reads a checkpoint from the bytes of a file written by `write(to:)` (as a data-parallel run's rank 0
    /// read and broadcast them); errors name `source`.
    public static func read(bytes: Data, source: String) throws -> Checkpoint {
        try read(SafeTensorsFile(bytes: bytes, source: source), source: source)
    }

    private static func read(_ file: SafeTensorsFile, source: String) throws -> Checkpoint {
        guard file.metadata["format"] == format else {
            throw TrainingError.invalidRun("\(source) is not a dml checkpoint (no \"format\": \"\(format)\" metadata)")
        }
        func decode<Value: Decodable>(_ type: Value.Type, _ key: String) throws -> Value {
            guard let text = file.metadata[key] else {
                throw TrainingError.invalidRun("\(source): checkpoint metadata has no '\(key)' entry")
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do { return try decoder.decode(type, from: Data(text.utf8)) } catch {
                throw TrainingError.invalidRun("\(source): checkpoint metadata '\(key)' is malformed: \(error)")
            }
        }
        let checkpoint = Checkpoint(configuration: try decode(TrainingConfiguration.self, "config"),
                                    state: try decode(TrainingState.self, "state"),
                                    classes: try decode(Head.self, "head").classes, weights: file)
        try checkpoint.verifyChecksum(source: source)
        try checkpoint.validateMetadata(source: source)
        return checkpoint
    }

    private init(configuration: TrainingConfiguration, state: TrainingState, classes: Int, weights: SafeTensorsFile) {
        self.configuration = configuration
        self.state = state
        self.classes = classes
        self.weights = weights
    }

    /// The model with this checkpoint's settings and weights (every parameter must be present), running in
    /// `precision` (nil: the precision the run trained in). Throws `PrecisionError` when that precision does
    /// not run natively on this CPU.
    public func makeModel(precision: Precision? = nil) throws -> EmbeddingModel {
        let precision = precision ?? configuration.precision
        try precision.checkSupported()
        let model = try EmbeddingModel(self.model, seed: nil)
        model.precision = precision
        try restore(model: model)
        return model
    }

    /// Copies the saved weights into `model`, which must have every saved parameter and no other.
    public func restore(model: EmbeddingModel) throws {
        try model.load(weights, strict: true, ignoring: StateDictFilter { name in
            name.hasPrefix(Self.lossPrefix) || name.hasPrefix(Self.optimizerPrefix)
                || StateDictFilter.unmodelled.ignores(name)
        })
    }

    /// Copies the saved loss parameters into `loss` and momentum buffers into `optimizer`.
    public func restore(loss: any MetricLoss, optimizer: SGD) throws {
        for (name, parameter) in loss.namedParameters {
            let value = try weights.tensor(named: Self.lossPrefix + name)
            guard value.shape == parameter.value.shape else {
                throw TrainingError.invalidRun("\(weights.source): '\(Self.lossPrefix + name)' has shape \(value.shape), the loss needs \(parameter.value.shape)")
            }
            parameter.value = value
        }
        var buffers: [String: Tensor] = [:]
        for name in weights.names where name.hasPrefix(Self.optimizerPrefix) {
            buffers[String(name.dropFirst(Self.optimizerPrefix.count))] = try weights.tensor(named: name)
        }
        try optimizer.loadMomentumBuffers(buffers)
    }

    static let lossPrefix = "loss."
    static let optimizerPrefix = "optimizer."

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

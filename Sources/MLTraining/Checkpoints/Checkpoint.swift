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

    /// What the checkpoint's model is.
    public var model: EmbeddingModel.Settings
    /// The classification head / loss the model was trained with.
    public var head: Head
    /// The image transforms (the test transform is what `dml embed` applies).
    public var transforms: Transforms
    /// Where training stood.
    public var state: TrainingState
    /// The run's configuration.
    public var configuration: TrainingConfiguration
    /// The tensors: model, `loss.*`, `optimizer.*`.
    public var weights: SafeTensorsFile

    /// The loss a checkpoint's model was trained with.
    public struct Head: Codable, Sendable, Equatable {
        public var loss: String
        public var classes: Int
        public var embeddingSize: Int
    }

    /// The image pipelines: a `TransformPreset` by name at an image size.
    public struct Transforms: Codable, Sendable, Equatable {
        public var preset: String
        public var imageSize: Int

        /// The evaluation pipeline (throws for an unknown preset name).
        public func test() throws -> ImagePipeline {
            guard let transforms = TransformPreset(rawValue: preset) else {
                throw TrainingError.unknownName(kind: "transform preset", name: preset,
                                                valid: TransformPreset.allCases.map(\.rawValue))
            }
            return transforms.test(imageSize: imageSize)
        }
    }

    /// A checkpoint of `model`, `loss` and `optimizer` (momentum buffers) at `state`.
    public init(model: EmbeddingModel, loss: any MetricLoss, optimizer: SGD, head: Head,
                state: TrainingState, configuration: TrainingConfiguration) {
        self.model = model.settings
        self.head = head
        transforms = Transforms(preset: configuration.transforms, imageSize: configuration.imageSize)
        self.state = state
        self.configuration = configuration
        var weights = SafeTensorsFile(stateDictOf: model)
        for (name, parameter) in loss.namedParameters { weights.add(parameter.value, named: Self.lossPrefix + name) }
        for (name, buffer) in optimizer.momentumBuffers.sorted(by: { $0.key < $1.key }) {
            weights.add(buffer, named: Self.optimizerPrefix + name)
        }
        self.weights = weights
    }

    /// Writes the checkpoint atomically to `url`: a failed write leaves any previous file intact.
    public func write(to url: URL) throws {
        var file = weights
        file.metadata = [
            "format": Self.format, "model": try Self.json(model), "head": try Self.json(head),
            "transforms": try Self.json(transforms), "state": try Self.json(state),
            "config": String(decoding: try configuration.encoded(), as: UTF8.self),
        ]
        try file.write(to: url)
    }

    /// Reads a checkpoint written by `write(to:)`; throws naming the file and the missing or bad entry.
    public static func read(from url: URL) throws -> Checkpoint {
        let file = try SafeTensorsFile(contentsOf: url)
        guard file.metadata["format"] == format else {
            throw TrainingError.invalidRun("\(url.path) is not a dml checkpoint (no \"format\": \"\(format)\" metadata)")
        }
        func decode<Value: Decodable>(_ type: Value.Type, _ key: String) throws -> Value {
            guard let text = file.metadata[key] else {
                throw TrainingError.invalidRun("\(url.path): checkpoint metadata has no '\(key)' entry")
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do { return try decoder.decode(type, from: Data(text.utf8)) } catch {
                throw TrainingError.invalidRun("\(url.path): checkpoint metadata '\(key)' is malformed: \(error)")
            }
        }
        return Checkpoint(
            model: try decode(EmbeddingModel.Settings.self, "model"), head: try decode(Head.self, "head"),
            transforms: try decode(Transforms.self, "transforms"), state: try decode(TrainingState.self, "state"),
            configuration: try decode(TrainingConfiguration.self, "config"), weights: file)
    }

    private init(model: EmbeddingModel.Settings, head: Head, transforms: Transforms, state: TrainingState,
                 configuration: TrainingConfiguration, weights: SafeTensorsFile) {
        self.model = model
        self.head = head
        self.transforms = transforms
        self.state = state
        self.configuration = configuration
        self.weights = weights
    }

    /// The model with this checkpoint's settings and weights (every parameter must be present).
    public func makeModel() throws -> EmbeddingModel {
        let model = try EmbeddingModel(self.model, seed: nil)
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

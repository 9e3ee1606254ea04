import MLEngine

/// The paper's embedding network (DESIGN §3): [0, 1] images → mean/std normalisation → ResNet backbone up
/// to global average pooling → neck (optional feature norm without affine, optional remap Linear with zero
/// bias, optional L2 normalisation) → the embedding used for retrieval.
///
/// Parameter names: the backbone's torchvision names (`conv1.weight`, `layer1.0.bn1.running_mean`, …), then
/// `neck.norm.*` and `neck.remap.*`.
public final class EmbeddingModel: Layer {
    /// The settings that define the network's shape; saved with checkpoints (and flattened into a run's
    /// `config.json`). Keys: `arch`, `feature_norm`, `remap`, `l2_normalize`, `mean`, `std`.
    public struct Settings: Codable, Sendable, Equatable {
        /// The backbone.
        public var arch: ResNet.Architecture
        /// The neck's feature normalisation.
        public var featureNorm: FeatureNorm
        /// The remap Linear's output size, or nil.
        public var remap: Int?
        /// Whether the neck L2-normalises the embedding.
        public var l2Normalize: Bool
        /// Per-channel mean and standard deviation applied inside the model to [0, 1] input.
        public var mean: [Float]
        public var std: [Float]

        public init(arch: ResNet.Architecture, featureNorm: FeatureNorm = .none, remap: Int? = nil, l2Normalize: Bool = false,
                    mean: [Float] = Normalize.imageNet.mean, std: [Float] = Normalize.imageNet.std) {
            self.arch = arch
            self.featureNorm = featureNorm
            self.remap = remap
            self.l2Normalize = l2Normalize
            self.mean = mean
            self.std = std
        }

        /// The embedding size: the remap size, else the backbone's feature count.
        public var embeddingSize: Int { remap ?? arch.featureCount }
    }

    public let settings: Settings
    /// The input normalisation (applied inside the model to [0, 1] images).
    public let normalization: Normalize
    public let backbone: ResNet
    /// The neck's layers in order, with their state-dict names.
    package let neck: [(name: String, layer: any Layer)]
    /// The remap Linear, if any.
    public let remap: Linear?

    /// A model with torchvision's initialisation of the backbone drawn from `seed` (nil: no random
    /// initialisation, for loading weights). Throws for an unknown architecture (listing the valid ones)
    /// or a non-positive remap size.
    public init(_ settings: Settings, seed: UInt64?) throws {
        let architecture = settings.arch
        self.settings = settings
        guard settings.mean.count == 3, settings.std.count == 3, settings.std.allSatisfy({ $0 > 0 }) else {
            throw ModelError.invalidSetting("mean \(settings.mean) and std \(settings.std) need 3 values, std positive")
        }
        normalization = Normalize(mean: settings.mean, std: settings.std)
        backbone = ResNet(architecture, classCount: nil, seed: seed)
        let features = architecture.featureCount
        var neck: [(name: String, layer: any Layer)] = []
        switch settings.featureNorm {
        case .none: break
        case .batch: neck.append((name: "norm", layer: BatchNorm1d(features: features, affine: false)))
        case .layer: neck.append((name: "norm", layer: LayerNorm(features: features, affine: false)))
        }
        if let size = settings.remap {
            guard size >= 1 else { throw ModelError.invalidSetting("remap size must be at least 1, got \(size)") }
            let linear = Linear(inFeatures: features, outFeatures: size)
            // torch's default Linear init for the weight (U(±1/√in)), the bias zero (the authors' remap).
            if let seed {
                var generator = SeededGenerator(seed: seed).substream(0x5245_4D41)
                linear.weight.value = generator.tensor([size, features], scale: 1 / Double(features).squareRoot())
            }
            linear.bias?.value = Tensor(shape: [size])
            neck.append((name: "remap", layer: linear))
            remap = linear
        } else {
            remap = nil
        }
        if settings.l2Normalize { neck.append((name: "l2", layer: L2Normalization())) }
        self.neck = neck
    }

    /// The embedding size.
    public var embeddingSize: Int { settings.remap ?? backbone.featureCount }

    /// The backbone's arithmetic (`ResNet.precision`); the neck runs in Float32 either way.
    public var precision: Precision {
        get { backbone.precision }
        set { backbone.precision = newValue }
    }

    /// Whether the backbone's batch norms are frozen in training (`set_bn_eval`).
    public var isBackboneBatchNormFrozen: Bool {
        get { backbone.isBatchNormFrozen }
        set { backbone.isBatchNormFrozen = newValue }
    }

    /// x [N, 3, H, W] in [0, 1] → embeddings [N, embeddingSize] (plain).
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        var y = try backbone.forward(normalization(x), training: training)
        for part in neck { y = try part.layer.forward(y, training: training) }
        return y.plain()
    }

    /// dEmbedding [N, embeddingSize] → backward through neck and backbone (the image needs no gradient).
    /// The neck's layers and the backbone's are reported to the active `GradientObserver` as they finish.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        let observer = GradientObservation.observer
        var gradient = dy
        for part in neck.reversed() {
            guard let next = part.layer.backward(gradient, needsInputGradient: true) else { return nil }
            observer?.backwardFinished(part.layer)
            gradient = next
        }
        guard needsInputGradient else {
            _ = backbone.backward(gradient, needsInputGradient: false)
            return nil
        }
        // d(x − m)/s = dx / s: a normalisation with zero mean.
        let inputScale = Normalize(mean: [0, 0, 0], std: settings.std)
        return backbone.backward(gradient, needsInputGradient: true).flatMap { try? inputScale($0) }
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        backbone.namedParameters + neck.flatMap { part in
            part.layer.namedParameters.map { (name: "neck.\(part.name).\($0.name)", parameter: $0.parameter) }
        }
    }
}

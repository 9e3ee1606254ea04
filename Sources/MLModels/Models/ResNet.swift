import MLEngine

/// torchvision's ResNet (v1.5: stride on the Bottleneck's 3×3 convolution), with its module structure and
/// `state_dict` names: `conv1`, `bn1`, `relu`, `maxpool`, `layer1`–`layer4` (blocks `0`, `1`, …), `avgpool`
/// and an optional `fc`.
///
/// Without a classifier (`classCount: nil`) it is a backbone returning the pooled features
/// [N, 512] (ResNet-18/34) or [N, 2048] (ResNet-50/101).
public final class ResNet: Layer {
    /// Which variant this is.
    public let architecture: Architecture
    /// The classifier's output count, or nil for a backbone.
    public let classCount: Int?
    /// The classifier (`fc`), or nil for a backbone.
    public let fc: Linear?
    /// The residual blocks of layer1…layer4, in order.
    public let blocks: [any ResidualBlock]
    /// Every BatchNorm2d, stem first.
    public let batchNorms: [BatchNorm2d]
    /// The arithmetic of the convolutional layers: `bf16` converts the input to bfloat16, so every layer up to
    /// global pooling runs on bfloat16 activations (weights stay Float32 parameters; their bfloat16 copies
    /// are cached per optimizer step); pooled features, `fc` and all gradients of parameters are Float32.
    /// Check `Precision.checkSupported()` before choosing `bf16`.
    public var precision = Precision.fp32
    /// Every convolution, stem first, then each block's (body, then shortcut).
    public var convolutions: [Conv2d] {
        network.layers.compactMap { $0.layer as? Conv2d } + blocks.flatMap(\.convolutions)
    }
    /// The layers in forward order under their state-dict names (for exporters that walk the network).
    package let network: Sequential

    /// A ResNet with torchvision's initialisation drawn from `seed` (see `resetParameters`).
    /// - Parameters:
    ///   - architecture: the variant (block counts and kind).
    ///   - classCount: outputs of `fc`; nil builds the backbone without `fc`.
    ///   - zeroInitResidual: zero each block's last batch-norm weight (torchvision's `zero_init_residual`).
    ///   - seed: the initialisation's stream; nil skips the random initialisation (weights stay zero, batch
    ///     norms at identity) for a model whose weights are loaded next.
    public init(_ architecture: Architecture, classCount: Int? = 1000, zeroInitResidual: Bool = false,
                seed: UInt64? = 0) {
        precondition(classCount.map { $0 > 0 } ?? true, "ResNet with \(classCount ?? 0) classes")
        self.architecture = architecture
        self.classCount = classCount
        let stemNorm = BatchNorm2d(features: 64)
        var layers: [(name: String, layer: any Layer)] = [
            (name: "conv1", layer: Conv2d(inChannels: 3, outChannels: 64, kernelSize: 7, stride: 2, padding: 3)),
            (name: "bn1", layer: stemNorm),
            (name: "relu", layer: ReLU()),
            (name: "maxpool", layer: MaxPool2d(kernelSize: 3, stride: 2, padding: 1)),
        ]
        var blocks: [any ResidualBlock] = []
        var channels = 64
        for (stage, count) in architecture.blockCounts.enumerated() {
            let planes = 64 << stage
            var stageBlocks: [(name: String, layer: any Layer)] = []
            for index in 0..<count {
                let block = architecture.makeBlock(inChannels: channels, planes: planes,
                                                   stride: index == 0 && stage > 0 ? 2 : 1)
                channels = planes * architecture.expansion
                stageBlocks.append((name: String(index), layer: block))
                blocks.append(block)
            }
            layers.append((name: "layer\(stage + 1)", layer: Sequential(stageBlocks)))
        }
        layers.append((name: "avgpool", layer: GlobalAveragePool()))
        fc = classCount.map { Linear(inFeatures: channels, outFeatures: $0) }
        if let fc { layers.append((name: "fc", layer: fc)) }
        network = Sequential(layers)
        self.blocks = blocks
        batchNorms = [stemNorm] + blocks.flatMap(\.batchNorms)
        if let seed { resetParameters(seed: seed, zeroInitResidual: zeroInitResidual) }
    }

    /// ResNet-18 (BasicBlock, [2, 2, 2, 2]).
    public static func resnet18(classCount: Int? = 1000, zeroInitResidual: Bool = false, seed: UInt64? = 0) -> ResNet {
        ResNet(.resnet18, classCount: classCount, zeroInitResidual: zeroInitResidual, seed: seed)
    }

    /// ResNet-34 (BasicBlock, [3, 4, 6, 3]).
    public static func resnet34(classCount: Int? = 1000, zeroInitResidual: Bool = false, seed: UInt64? = 0) -> ResNet {
        ResNet(.resnet34, classCount: classCount, zeroInitResidual: zeroInitResidual, seed: seed)
    }

    /// ResNet-50 (Bottleneck, [3, 4, 6, 3]).
    public static func resnet50(classCount: Int? = 1000, zeroInitResidual: Bool = false, seed: UInt64? = 0) -> ResNet {
        ResNet(.resnet50, classCount: classCount, zeroInitResidual: zeroInitResidual, seed: seed)
    }

    /// ResNet-101 (Bottleneck, [3, 4, 23, 3]).
    public static func resnet101(classCount: Int? = 1000, zeroInitResidual: Bool = false, seed: UInt64? = 0) -> ResNet {
        ResNet(.resnet101, classCount: classCount, zeroInitResidual: zeroInitResidual, seed: seed)
    }

    /// Channels of the pooled features (512 or 2048).
    public var featureCount: Int { architecture.featureCount }

    /// Whether every BatchNorm2d is frozen: running statistics in forward and backward while weight and bias
    /// still train (the paper's `set_bn_eval`).
    public var isBatchNormFrozen: Bool {
        get { batchNorms.allSatisfy(\.isFrozen) }
        set { for norm in batchNorms { norm.isFrozen = newValue } }
    }

    /// x [N, 3, H, W] (any layout) → logits [N, classCount], or features [N, featureCount] without `fc`.
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 4, x.shape[1] == 3 else {
            throw LayerError(layer: "\(architecture.rawValue).conv1", expected: "[N, 3, H, W]", actual: x.shape)
        }
        return try network.forward(x.converted(to: precision.activationType), training: training)
    }

    /// dy [N, classCount] (or [N, featureCount]) → dx [N, 3, H, W] unless not needed; adds parameter gradients.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        network.backward(dy, needsInputGradient: needsInputGradient)
    }

    /// Parameters and buffers by torchvision's `state_dict` names, in its order (no `num_batches_tracked`).
    public var namedParameters: [(name: String, parameter: Parameter)] { network.namedParameters }
}

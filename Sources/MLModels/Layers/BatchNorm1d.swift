import MLEngine

/// Batch normalisation over the features of [N, C] inputs (PyTorch's `nn.BatchNorm1d` on 2-D input), with
/// or without the affine γ, β; the same three modes as `BatchNorm2d` (the neck's feature normalisation
/// uses it without affine).
public final class BatchNorm1d: Layer {
    private let core: BatchNormCore

    /// γ [C] (initialised to 1), or nil without affine.
    public var weight: Parameter? { core.weight }
    /// β [C] (initialised to 0), or nil without affine.
    public var bias: Parameter? { core.bias }
    /// Running mean [C] (a buffer), initialised to 0.
    public var runningMean: Parameter { core.runningMean }
    /// Running (unbiased) variance [C] (a buffer), initialised to 1.
    public var runningVar: Parameter { core.runningVar }
    /// Frozen: running statistics in forward and backward even when training.
    public var isFrozen: Bool {
        get { core.isFrozen }
        set { core.isFrozen = newValue }
    }

    /// Batch norm over `features` features; the running estimates move by `momentum` per training batch.
    public init(features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
        core = BatchNormCore(features: features, epsilon: eps, momentum: momentum, affine: affine)
    }

    /// Added to the variance before the square root.
    package var epsilon: Float { core.epsilon }

    private var name: String { "BatchNorm1d(\(core.features))" }

    /// x [N, C] → y [N, C] (plain).
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 2, x.shape[1] == core.features, x.shape[0] > 0 else {
            throw LayerError(layer: name, expected: "[N, \(core.features)]", actual: x.shape)
        }
        return try core.forward(x.plain(), training: training, layer: name)
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        core.backward(dy, needsInputGradient: needsInputGradient, layer: name)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { core.namedParameters }
}

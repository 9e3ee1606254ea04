import MLEngine

/// Batch normalisation over the channels of [N, C, H, W] activations (PyTorch's `nn.BatchNorm2d`), in
/// training, inference or frozen mode (see `isFrozen`). Accepts any layout; the output keeps it.
public final class BatchNorm2d: Layer {
    private let core: BatchNormCore

    /// γ [C], initialised to 1.
    public let weight: Parameter
    /// β [C], initialised to 0.
    public let bias: Parameter
    /// Running mean [C] (a buffer), initialised to 0.
    public var runningMean: Parameter { core.runningMean }
    /// Running (unbiased) variance [C] (a buffer), initialised to 1.
    public var runningVar: Parameter { core.runningVar }
    /// Frozen: running statistics in forward and backward even when training (the paper's `set_bn_eval`);
    /// γ and β still receive gradients.
    public var isFrozen: Bool {
        get { core.isFrozen }
        set { core.isFrozen = newValue }
    }

    /// Batch norm over `features` channels; the running estimates move by `momentum` per training batch.
    public init(features: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        let core = BatchNormCore(features: features, epsilon: eps, momentum: momentum, affine: true)
        guard let weight = core.weight, let bias = core.bias else { preconditionFailure("affine batch norm without γ, β") }
        self.core = core
        self.weight = weight
        self.bias = bias
    }

    /// Channels C.
    var features: Int { core.features }

    /// Added to the variance before the square root.
    package var epsilon: Float { core.epsilon }

    private var name: String { "BatchNorm2d(\(core.features))" }

    /// x [N, C, H, W] (any layout) → y [N, C, H, W] in x's layout.
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        try forward(x, training: training, fusingReLU: false)
    }

    /// The forward, followed by a ReLU inside the same primitive when `fusingReLU`; `backward` then takes
    /// the gradient of the ReLU's output (see `Sequential`, which fuses a batch norm and the ReLU after it).
    func forward(_ x: Tensor, training: Bool, fusingReLU: Bool) throws -> Tensor {
        guard x.shape.count == 4, x.shape[1] == core.features, x.count > 0 else {
            throw LayerError(layer: name, expected: "[N, \(core.features), H, W]", actual: x.shape)
        }
        return try core.forward(x, training: training, layer: name, fusingReLU: fusingReLU)
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        core.backward(dy, needsInputGradient: needsInputGradient, layer: name)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { core.namedParameters }

    /// The per-channel map y = s · x + t this batch norm applies in inference mode, in Double:
    /// s = γ / √(σ² + ε), t = β − μ · s with the running statistics μ, σ².
    func inferenceMap() -> (scale: [Double], shift: [Double]) {
        let gamma = weight.value.scalars, beta = bias.value.scalars
        let mean = runningMean.value.scalars, variance = runningVar.value.scalars
        let scale = (0..<core.features).map { Double(gamma[$0]) / (Double(variance[$0]) + Double(core.epsilon)).squareRoot() }
        return (scale, (0..<core.features).map { Double(beta[$0]) - Double(mean[$0]) * scale[$0] })
    }

    /// The tensors `inferenceMap` reads: γ, β, running mean and running variance.
    var inferenceParameters: [Parameter] { [weight, bias, runningMean, runningVar] }

    /// Drops what the last training forward kept for `backward`.
    func releaseSavedState() { core.releaseSavedState() }
}

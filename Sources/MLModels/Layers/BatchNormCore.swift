import MLEngine

/// What `BatchNorm2d` and `BatchNorm1d` share: the parameters, the running statistics and the three modes.
///
/// - training (`training` and not frozen): batch statistics; the running estimates move by `momentum`
///   towards the batch mean and the *unbiased* batch variance (PyTorch's rule);
/// - inference (`training == false`): running statistics;
/// - frozen (`isFrozen`): running statistics in forward and backward, γ and β still get gradients.
final class BatchNormCore {
    let features: Int
    let epsilon: Float
    let momentum: Float
    let weight: Parameter?
    let bias: Parameter?
    let runningMean: Parameter
    let runningVar: Parameter
    var isFrozen = false

    private var saved: (kernel: BatchNormalization, input: Tensor, mean: Tensor, variance: Tensor, workspace: Tensor?)?

    /// γ = 1 and β = 0 when `affine`; running mean 0 and variance 1.
    init(features: Int, epsilon: Float, momentum: Float, affine: Bool) {
        precondition(features > 0, "batch norm over \(features) features")
        self.features = features
        self.epsilon = epsilon
        self.momentum = momentum
        weight = affine ? Parameter(Tensor(shape: [features], repeating: 1)) : nil
        bias = affine ? Parameter(Tensor(shape: [features])) : nil
        runningMean = Parameter(buffer: Tensor(shape: [features]))
        runningVar = Parameter(buffer: Tensor(shape: [features], repeating: 1))
    }

    /// x [N, C, …] in any layout → y in x's layout (max(y, 0) when `fusingReLU`, and the backward masks its
    /// gradient accordingly). `layer` names the layer in errors.
    func forward(_ x: Tensor, training: Bool, layer: String, fusingReLU: Bool = false) throws -> Tensor {
        let global = isFrozen || !training
        let perChannel = x.count / features
        guard global || perChannel > 1 else {
            throw LayerError(layer: layer, expected: "more than one value per channel in training mode", actual: x.shape)
        }
        let kernel = BatchNormalization(
            layout: x.layout, epsilon: epsilon, affine: weight != nil, globalStatistics: global, fusesReLU: fusingReLU)
        let result = kernel.forward(
            x, scale: weight?.value, shift: bias?.value,
            statistics: global ? (runningMean.value, runningVar.value) : nil)
        if !global { updateRunningStatistics(mean: result.mean, variance: result.variance, count: perChannel) }
        saved = training ? (kernel, x, result.mean, result.variance, result.workspace) : nil
        return result.output
    }

    /// running = (1 − m) · running + m · batch, with the batch variance made unbiased (× n/(n − 1)).
    private func updateRunningStatistics(mean: Tensor, variance: Tensor, count: Int) {
        let m = momentum
        let unbiasing = Float(count) / Float(count - 1)
        mean.withUnsafeStorage { batch in
            runningMean.value.withUnsafeMutableStorage { running in
                for c in 0..<features { running[c] = (1 - m) * running[c] + m * batch[c] }
            }
        }
        variance.withUnsafeStorage { batch in
            runningVar.value.withUnsafeMutableStorage { running in
                for c in 0..<features { running[c] = (1 - m) * running[c] + m * unbiasing * batch[c] }
            }
        }
    }

    /// dy (any layout) → dx in the forward input's layout; adds to the weight and bias gradients.
    func backward(_ dy: Tensor, needsInputGradient: Bool, layer: String) -> Tensor? {
        guard let saved else { preconditionFailure("\(layer): backward without a training-mode forward") }
        precondition(dy.shape == saved.input.shape,
                     "\(layer): output gradient of shape \(dy.shape), forward had \(saved.input.shape)")
        let gradients = saved.kernel.backward(
            dy, input: saved.input, mean: saved.mean, variance: saved.variance, scale: weight?.value,
            shift: bias?.value, workspace: saved.workspace)
        if let weight, let dScale = gradients.scale { Elementwise.accumulate(dScale, into: weight) }
        if let bias, let dShift = gradients.shift { Elementwise.accumulate(dShift, into: bias) }
        return needsInputGradient ? gradients.input : nil
    }

    /// Drops what the last training forward kept for `backward`.
    func releaseSavedState() { saved = nil }

    var namedParameters: [(name: String, parameter: Parameter)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
            + [("running_mean", runningMean), ("running_var", runningVar)]
    }
}

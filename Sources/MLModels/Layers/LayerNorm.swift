import MLEngine

/// Layer normalisation over the features of [N, C] inputs (PyTorch's `nn.LayerNorm(C)`), with or without
/// the affine γ, β. The same in training and inference.
public final class LayerNorm: Layer {
    /// The normalised dimension C.
    public let features: Int
    /// Added to the variance before the square root.
    public let eps: Float
    /// γ [C] (initialised to 1), or nil without affine.
    public let weight: Parameter?
    /// β [C] (initialised to 0), or nil without affine.
    public let bias: Parameter?

    private var saved: (kernel: LayerNormalization, input: Tensor, mean: Tensor, variance: Tensor)?

    /// Normalises `features` values per sample; γ = 1 and β = 0 when `affine`.
    public init(features: Int, eps: Float = 1e-5, affine: Bool = true) {
        precondition(features > 0, "LayerNorm over \(features) features")
        self.features = features
        self.eps = eps
        weight = affine ? Parameter(Tensor(shape: [features], repeating: 1)) : nil
        bias = affine ? Parameter(Tensor(shape: [features])) : nil
    }

    private var name: String { "LayerNorm(\(features))" }

    /// x [N, C] → y [N, C] (plain), each row normalised to zero mean and unit variance, then γ·+β.
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 2, x.shape[1] == features, x.shape[0] > 0 else {
            throw LayerError(layer: name, expected: "[N, \(features)]", actual: x.shape)
        }
        let kernel = LayerNormalization(shape: x.shape, epsilon: eps, affine: weight != nil)
        let input = x.plain()
        let result = kernel.forward(input, scale: weight?.value, shift: bias?.value)
        saved = training ? (kernel, input, result.mean, result.variance) : nil
        return result.output
    }

    /// dy [N, C] → dx [N, C]; adds to the γ and β gradients.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let saved else { preconditionFailure("\(name): backward without a training-mode forward") }
        precondition(dy.shape == saved.input.shape,
                     "\(name): output gradient of shape \(dy.shape), forward had \(saved.input.shape)")
        let gradients = saved.kernel.backward(dy, input: saved.input, mean: saved.mean, variance: saved.variance,
                                              scale: weight?.value, shift: bias?.value)
        if let weight, let dScale = gradients.scale { Elementwise.accumulate(dScale, into: weight) }
        if let bias, let dShift = gradients.shift { Elementwise.accumulate(dShift, into: bias) }
        return needsInputGradient ? gradients.input : nil
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
    }
}

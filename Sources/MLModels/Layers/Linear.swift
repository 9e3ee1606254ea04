import MLEngine

/// A fully connected layer (PyTorch's `nn.Linear`): [N, in] → [N, out], y = x · Wᵀ + b.
public final class Linear: Layer {
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int
    /// [out, in]; zero until the model or loss initialises it.
    public let weight: Parameter
    /// [out], zero-initialised, or nil without bias.
    public let bias: Parameter?

    private var input: Tensor?

    /// A zero-initialised `inFeatures` → `outFeatures` layer, with a bias unless `bias` is false.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear(\(inFeatures)→\(outFeatures))")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(Tensor(shape: [outFeatures, inFeatures]))
        self.bias = bias ? Parameter(Tensor(shape: [outFeatures])) : nil
    }

    private var name: String { "Linear(\(inFeatures)→\(outFeatures))" }

    /// x [N, in] → y [N, out] (plain).
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 2, x.shape[1] == inFeatures else {
            throw LayerError(layer: name, expected: "[N, \(inFeatures)]", actual: x.shape)
        }
        let source = x.plain()
        input = training ? source : nil
        return InnerProduct.forward(source, weight: weight.value, bias: bias?.value)
    }

    /// dy [N, out] → dx [N, in]; adds dW = dyᵀ · x and db = Σ_n dy to the gradients.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let input else { preconditionFailure("\(name): backward without a training-mode forward") }
        precondition(dy.shape == [input.shape[0], outFeatures],
                     "\(name): output gradient of shape \(dy.shape), forward gave \([input.shape[0], outFeatures])")
        return InnerProduct.backward(dy, input: input, weight: weight, bias: bias, needsInputGradient: needsInputGradient)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

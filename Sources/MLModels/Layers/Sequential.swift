import MLEngine

/// Named layers applied in order (PyTorch's `nn.Sequential` / a module's children); backward runs them
/// in reverse. Parameter names are prefixed with the layer's name ("0.weight", "conv1.weight").
public final class Sequential: Layer {
    /// The layers in forward order with their state-dict names.
    public let layers: [(name: String, layer: any Layer)]

    /// The inference grouping of `layers` (convolution + batch norm + ReLU fused).
    private let inferencePlan: InferencePlan
    /// The indices of the ReLUs that directly follow a `BatchNorm2d`: in training they run inside the batch
    /// norm's primitive (`BatchNorm2d.forward(_:training:fusingReLU:)`) and pass gradients through unchanged.
    private let fusedReLUs: Set<Int>

    /// Layers applied in the given order.
    public init(_ layers: [(name: String, layer: any Layer)]) {
        self.layers = layers
        inferencePlan = InferencePlan(layers)
        fusedReLUs = Set(layers.indices.dropFirst().filter { layers[$0].layer is ReLU && layers[$0 - 1].layer is BatchNorm2d })
    }

    /// Each layer's output feeds the next; a shape error names the path ("layer1/0/conv1/Conv2d(…)").
    /// In inference (`training == false`), each convolution runs with the batch norm and ReLU after it
    /// fused in (see `InferencePlan`); in training, a batch norm runs with the ReLU after it fused in.
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard training else { return try inferencePlan.forward(x) }
        var y = x
        for (index, (name, layer)) in layers.enumerated() {
            if fusedReLUs.contains(index) {
                (layer as? ReLU)?.releaseSavedState()
                continue
            }
            y = try LayerError.prefixing(name) {
                guard fusedReLUs.contains(index + 1), let norm = layer as? BatchNorm2d else {
                    return try layer.forward(y, training: true)
                }
                return try norm.forward(y, training: true, fusingReLU: true)
            }
        }
        return y
    }

    /// max(forward(x) + residual, 0) in inference mode, the addition and ReLU fused into the last
    /// convolution where the layers end with a convolution and batch norm (a residual block's body); both
    /// tensors are consumed, so the output may reuse the residual's storage.
    func inferenceForward(_ x: consuming Tensor, addingThenReLU residual: consuming Tensor) throws -> Tensor {
        try inferencePlan.forward(x, residual: residual)
    }

    /// Backward through the layers in reverse; only the first is asked for an input gradient when the
    /// caller needs none. Each layer is reported to the active `GradientObserver` once its backward returns.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        let observer = GradientObservation.observer
        var gradient: Tensor? = dy
        for (index, entry) in layers.enumerated().reversed() where !fusedReLUs.contains(index) {
            guard let current = gradient else { return nil }
            gradient = entry.layer.backward(current, needsInputGradient: index > 0 || needsInputGradient)
            observer?.backwardFinished(entry.layer)
        }
        return gradient
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.flatMap { entry in
            entry.layer.namedParameters.map { (name: "\(entry.name).\($0.name)", parameter: $0.parameter) }
        }
    }
}

extension Sequential: InputConsumingLayer {
    /// `forward(x, training: false)`, consuming `x` (so a residual block inside may reuse its storage).
    func inferenceForward(_ x: consuming Tensor) throws -> Tensor {
        try inferencePlan.forward(x)
    }
}

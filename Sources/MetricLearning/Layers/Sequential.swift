/// Named layers applied in order (PyTorch's `nn.Sequential` / a module's children); backward runs them
/// in reverse. Parameter names are prefixed with the layer's name ("0.weight", "conv1.weight").
public final class Sequential: Layer {
    /// The layers in forward order with their state-dict names.
    public let layers: [(name: String, layer: any Layer)]

    /// Layers applied in the given order.
    public init(_ layers: [(name: String, layer: any Layer)]) {
        self.layers = layers
    }

    /// Each layer's output feeds the next; a shape error names the path ("layer1/0/conv1/Conv2d(…)").
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        var y = x
        for (name, layer) in layers {
            do {
                y = try layer.forward(y, training: training)
            } catch let error as LayerError {
                throw LayerError(layer: "\(name)/\(error.layer)", expected: error.expected, actual: error.actual)
            }
        }
        return y
    }

    /// Backward through the layers in reverse; only the first is asked for an input gradient when the
    /// caller needs none.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        var gradient: Tensor? = dy
        for (index, entry) in layers.enumerated().reversed() {
            guard let current = gradient else { return nil }
            gradient = entry.layer.backward(current, needsInputGradient: index > 0 || needsInputGradient)
        }
        return gradient
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.flatMap { entry in
            entry.layer.namedParameters.map { (name: "\(entry.name).\($0.name)", parameter: $0.parameter) }
        }
    }
}

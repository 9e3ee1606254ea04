import MLEngine

/// A network layer with an explicit backward pass (no tape, no global graph).
///
/// `forward` keeps what `backward` needs; `backward` takes the gradient of the loss with respect to the
/// last forward's output, accumulates the gradients of the layer's parameters, and returns the gradient
/// with respect to the input unless `needsInputGradient` is false (the image batch needs none).
/// Composite layers call their parts' backward in reverse order.
public protocol Layer: AnyObject {
    /// The output for input `x`. `training` selects batch statistics in batch norm (unless frozen) and
    /// enables dropout. Throws `LayerError` when `x`'s shape does not fit the layer. The engine's layers
    /// keep what `backward` needs only when `training` is true, so inference holds no activations.
    func forward(_ x: Tensor, training: Bool) throws -> Tensor

    /// The input gradient for output gradient `dy` (nil when `needsInputGradient` is false); adds this
    /// layer's parameter gradients to their `gradient` tensors.
    func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor?

    /// Parameters and buffers by their PyTorch `state_dict` names relative to this layer (`weight`,
    /// `running_mean`, `layer1.0.conv1.weight`, …), in `state_dict` order.
    var namedParameters: [(name: String, parameter: Parameter)] { get }
}

extension Layer {
    /// The trainable parameters (no buffers), in `state_dict` order.
    public var trainableParameters: [(name: String, parameter: Parameter)] {
        namedParameters.filter { $0.parameter.isTrainable }
    }

    /// Sets every parameter gradient to zero.
    public func zeroGradients() {
        for entry in namedParameters { entry.parameter.zeroGradient() }
    }
}

/// A layer's input did not have the shape it needs.
public struct LayerError: Error, CustomStringConvertible {
    /// The layer, e.g. "Conv2d(3→64, 7×7, stride 2)" or a state-dict prefix such as "layer1.0.conv1".
    public let layer: String
    /// The shape the layer expects, in words ("[N, 64, H, W]").
    public let expected: String
    /// The shape it got.
    public let actual: [Int]

    public init(layer: String, expected: String, actual: [Int]) {
        self.layer = layer
        self.expected = expected
        self.actual = actual
    }

    public var description: String { "\(layer): expected input of shape \(expected), got \(actual)" }
}

extension LayerError {
    /// This error with `name` prefixed to its layer path ("conv1/…").
    func prefixed(with name: String) -> LayerError {
        LayerError(layer: "\(name)/\(layer)", expected: expected, actual: actual)
    }

    /// `body`'s result; a `LayerError` it throws gets `name` prefixed to its layer path.
    static func prefixing<R>(_ name: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as LayerError {
            throw error.prefixed(with: name)
        }
    }
}

/// A layer whose inference forward may take ownership of its input, so that its output can reuse the
/// input's storage when nothing else references it (a residual block adding its identity shortcut in
/// place). The result equals `forward(x, training: false)`.
protocol InputConsumingLayer: Layer {
    /// The inference output for `x`, which the call consumes.
    func inferenceForward(_ x: consuming Tensor) throws -> Tensor
}

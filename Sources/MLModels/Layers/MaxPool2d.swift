import MLEngine

/// Max pooling over square windows (PyTorch's `nn.MaxPool2d` with floor mode), in any layout; the output
/// keeps the input's layout.
public final class MaxPool2d: Layer {
    /// The square window's side.
    public let kernelSize: Int
    /// Step between windows.
    public let stride: Int
    /// Implicit −∞ padding on every side.
    public let padding: Int

    private var saved: (pooling: Pooling, workspace: Tensor?)?

    /// Windows of `kernelSize`², moved by `stride`, over the input padded by `padding` (≤ kernelSize / 2).
    public init(kernelSize: Int, stride: Int, padding: Int = 0) {
        precondition(kernelSize > 0 && stride > 0 && padding >= 0 && 2 * padding <= kernelSize,
                     "MaxPool2d(kernel \(kernelSize), stride \(stride), padding \(padding)) is not a valid pooling")
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    private var name: String { "MaxPool2d(\(kernelSize)×\(kernelSize), stride \(stride))" }

    /// x [N, C, H, W] → y [N, C, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1].
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 4, x.count > 0, x.shape[2] + 2 * padding >= kernelSize,
              x.shape[3] + 2 * padding >= kernelSize else {
            throw LayerError(layer: name, expected: "[N, C, H, W] with H, W + 2·\(padding) ≥ \(kernelSize)",
                             actual: x.shape)
        }
        let pooling = Pooling(kind: .max, layout: x.layout, window: (kernelSize, kernelSize), stride: stride,
                              padding: padding)
        let (y, workspace) = pooling.forward(x, training: training)
        saved = training ? (pooling, workspace) : nil
        return y
    }

    /// dy → dx: each output gradient goes to the input element that won its window.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let saved else { preconditionFailure("\(name): backward without a training-mode forward") }
        precondition(dy.shape == saved.pooling.outputShape,
                     "\(name): output gradient of shape \(dy.shape), forward gave \(saved.pooling.outputShape)")
        return needsInputGradient ? saved.pooling.backward(dy, workspace: saved.workspace) : nil
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }
}

import MLEngine

/// Global average pooling (PyTorch's `AdaptiveAvgPool2d(1)` followed by `flatten(1)`):
/// [N, C, H, W] in any layout → plain [N, C], the edge where blocked activations become plain Float32
/// features (a bfloat16 input is averaged in Float32, and its gradient returns in Float32).
public final class GlobalAveragePool: Layer {
    private var saved: Pooling?

    /// A global average pool (no parameters).
    public init() {}

    /// x [N, C, H, W] → y [N, C], y[n,c] = mean over h, w of x[n,c,h,w].
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 4, x.count > 0 else {
            throw LayerError(layer: "GlobalAveragePool", expected: "[N, C, H, W]", actual: x.shape)
        }
        let input = x.converted(to: .float32)
        let pooling = Pooling(kind: .average, layout: input.layout, window: (x.shape[2], x.shape[3]), stride: 1, padding: 0)
        saved = training ? pooling : nil
        return pooling.forward(input).output.plain().reshaped([x.shape[0], x.shape[1]])
    }

    /// dy [N, C] → dx [N, C, H, W] in the forward input's layout (Float32), dx = dy / (H·W) everywhere.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let saved else { preconditionFailure("GlobalAveragePool: backward without a training-mode forward") }
        let shape = saved.outputShape
        precondition(dy.shape == [shape[0], shape[1]],
                     "GlobalAveragePool: output gradient of shape \(dy.shape), forward gave \([shape[0], shape[1]])")
        guard needsInputGradient else { return nil }
        return saved.backward(dy.reshaped(shape), workspace: nil)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }
}

import MLEngine

/// max(x, 0) element-wise (PyTorch's `nn.ReLU`), in any layout; the output keeps the input's layout.
/// Keeps only its output for the backward pass.
public final class ReLU: Layer {
    private var output: Tensor?

    /// A ReLU (no parameters).
    public init() {}

    /// x [any shape] → y [same], y = max(x, 0).
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        let y = Elementwise.relu(x)
        output = training ? y : nil
        return y
    }

    /// dy → dx = dy where the output was positive, else 0.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let output else { preconditionFailure("ReLU: backward without a training-mode forward") }
        precondition(dy.shape == output.shape, "ReLU: output gradient of shape \(dy.shape), forward gave \(output.shape)")
        return needsInputGradient ? Elementwise.reluBackward(dy, output: output) : nil
    }

    /// Keeps `y`, a ReLU's output computed elsewhere (fused into the preceding operation), for `backward`.
    func keep(output y: Tensor) { output = y }

    /// Drops the output the last training forward kept for `backward`.
    func releaseSavedState() { output = nil }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }
}

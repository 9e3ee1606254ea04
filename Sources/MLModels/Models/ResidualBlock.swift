import MLEngine

/// A ResNet block: `relu(body(x) + shortcut(x))`, where the shortcut is the identity or `downsample`
/// (a 1×1 convolution and batch norm, named `downsample.0` / `downsample.1` as in torchvision).
///
/// `BasicBlock` and `Bottleneck` differ only in their body; forward, backward and parameter naming are
/// shared here. The backward sums the gradients of the two paths.
public protocol ResidualBlock: Layer {
    /// The main path up to and including its last batch norm (no final ReLU).
    var body: Sequential { get }
    /// The projection shortcut, or nil for the identity.
    var downsample: Sequential? { get }
    /// The ReLU after the residual addition.
    var activation: ReLU { get }
}

extension ResidualBlock {
    /// Every batch norm of the block, body then shortcut.
    public var batchNorms: [BatchNorm2d] { layers(of: BatchNorm2d.self) }

    /// Every convolution of the block, body then shortcut.
    public var convolutions: [Conv2d] { layers(of: Conv2d.self) }

    /// Every layer of type `T` in the block, body then shortcut.
    private func layers<T>(of type: T.Type) -> [T] {
        (body.layers + (downsample?.layers ?? [])).compactMap { $0.layer as? T }
    }

    /// The body's last batch norm (zero-initialised by `zeroInitResidual`).
    public var lastBatchNorm: BatchNorm2d {
        guard let norm = body.layers.last?.layer as? BatchNorm2d else {
            preconditionFailure("a residual block's body ends with its batch norm")
        }
        return norm
    }
}

extension ResidualBlock {
    /// x [N, C, H, W] → [N, C', H / stride, W / stride] in the convolutions' layout. In training the final
    /// ReLU runs inside the addition (a post-op). In inference the batch norms are folded into the
    /// convolutions, and the addition and final ReLU run inside the body's last convolution (post-ops).
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard training else { return try inferenceForward(x) }
        let main = try body.forward(x, training: training)
        let shortcut = try downsample?.forward(x, training: training) ?? x
        let y = Elementwise.add(main, shortcut, relu: true)
        activation.keep(output: y)
        return y
    }

    /// The inference forward, consuming `x`: the shortcut is added and the final ReLU applied inside the
    /// body's last convolution, whose output reuses the shortcut's storage when nothing else references
    /// it (the projection's fresh output, or `x` itself when the caller handed over its only reference).
    func inferenceForward(_ x: consuming Tensor) throws -> Tensor {
        activation.releaseSavedState()
        guard let downsample else { return try body.inferenceForward(copy x, addingThenReLU: x) }
        let shortcut = try downsample.forward(x, training: false)
        return try body.inferenceForward(x, addingThenReLU: shortcut)
    }

    /// dy → dx = body'ᵀ(d) + shortcut'ᵀ(d) with d the gradient after the ReLU; adds parameter gradients.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let sum = activation.backward(dy, needsInputGradient: true) else {
            preconditionFailure("ReLU returned no input gradient")
        }
        let main = body.backward(sum, needsInputGradient: needsInputGradient)
        let shortcut = downsample.map { $0.backward(sum, needsInputGradient: needsInputGradient) } ?? sum
        guard needsInputGradient, let main, let shortcut else { return nil }
        return Elementwise.add(main, shortcut)
    }

    /// Body parameters (`conv1.weight`, `bn1.weight`, …) then `downsample.*`, torchvision's order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        body.namedParameters + (downsample?.namedParameters.map { ("downsample." + $0.name, $0.parameter) } ?? [])
    }
}

extension ResidualBlock {
    /// torchvision's projection shortcut: 1×1 convolution with `stride`, then batch norm; nil when the
    /// identity fits (same channels, stride 1).
    static func projection(from inChannels: Int, to outChannels: Int, stride: Int) -> Sequential? {
        guard stride != 1 || inChannels != outChannels else { return nil }
        let conv = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, stride: stride)
        return Sequential([(name: "0", layer: conv), (name: "1", layer: BatchNorm2d(features: outChannels))])
    }
}

import MLEngine

/// 2-D convolution (PyTorch's `nn.Conv2d` with square kernel, stride, padding and dilation).
///
/// The output stays in the blocked layout the oneDNN primitive chose, in the input's element type (bfloat16
/// input: a bf16 convolution); the weight is stored plain Float32 (OIHW) and its reordered (and converted)
/// copies are cached until the parameter changes.
public final class Conv2d: Layer {
    /// [out, in/groups, k, k], plain OIHW; zero until the model initialises it.
    public let weight: Parameter
    /// [out], or nil without bias.
    public let bias: Parameter?
    /// Input channels C.
    public let inChannels: Int
    /// Output channels O.
    public let outChannels: Int
    /// The square kernel's side k.
    public let kernelSize: Int
    /// Step between output positions, both directions.
    public let stride: Int
    /// Zero padding on every side.
    public let padding: Int
    /// Spacing between kernel taps (1 = dense).
    public let dilation: Int
    /// Channel groups (each output channel sees C/groups input channels).
    public let groups: Int

    /// Whether this convolution may use Winograd (oneDNN's `convolution_auto`, on 3×3 stride-1 Float32
    /// geometries where it is faster); nil follows the process-wide `Engine.useWinograd`.
    public var usesWinograd: Bool?

    private let weights = WeightCache()
    /// The inference forward's weight and bias with a batch norm folded in.
    private let foldedWeights = WeightCache()
    private var saved: (convolution: Convolution, input: Tensor)?

    /// A convolution from `inChannels` to `outChannels` channels; both must be divisible by `groups`.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = false) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0
                     && dilation > 0 && groups > 0, "Conv2d with a non-positive size")
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d channels \(inChannels)→\(outChannels) not divisible by \(groups) groups")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        weight = Parameter(Tensor(shape: [outChannels, inChannels / groups, kernelSize, kernelSize]))
        self.bias = bias ? Parameter(Tensor(shape: [outChannels])) : nil
    }

    private var name: String { "Conv2d(\(inChannels)→\(outChannels), \(kernelSize)×\(kernelSize), stride \(stride))" }

    /// The geometry of this convolution on input `x`; throws when `x` does not fit.
    private func geometry(of x: Tensor) throws -> ConvolutionGeometry {
        let reach = dilation * (kernelSize - 1) + 1
        guard x.shape.count == 4, x.shape[1] == inChannels, x.shape[0] > 0,
              x.shape[2] + 2 * padding >= reach, x.shape[3] + 2 * padding >= reach else {
            throw LayerError(layer: name, expected: "[N, \(inChannels), H, W] with H, W + 2·\(padding) ≥ \(reach)",
                             actual: x.shape)
        }
        return ConvolutionGeometry(
            batch: x.shape[0], inChannels: inChannels, outChannels: outChannels, height: x.shape[2], width: x.shape[3],
            kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// x [N, in, H, W] (any layout) → [N, out, OH, OW] in the primitive's layout.
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        let convolution = Convolution(geometry: try geometry(of: x), hasBias: bias != nil, winograd: usesWinograd ?? Engine.useWinograd,
                                      dataType: x.dataType)
        let (y, input) = convolution.forward(x, weight: weight, bias: bias, weights: weights)
        saved = training ? (convolution, input) : nil
        return y
    }

    /// The inference forward of this convolution followed by `norm` (inference mode), then `+ residual`,
    /// then ReLU when `relu`, as one oneDNN convolution: the batch norm is folded into the weight and bias
    /// (w'[o] = w[o] · s[o], b'[o] = s[o] · b[o] + t[o] with `norm`'s inference map s, t), the residual and
    /// the ReLU are post-ops. The folded weights are cached until this layer's or `norm`'s parameters or
    /// running statistics change. Keeps nothing for a backward pass.
    ///
    ///     x        [N, in, H, W]       any layout
    ///     residual [N, out, OH, OW]    any layout, optional
    ///     y        [N, out, OH, OW]    in the primitive's layout
    /// A consumed residual that nothing else references becomes the output's storage (see
    /// `Convolution.inferenceForward`).
    func inferenceForward(_ x: Tensor, folding norm: BatchNorm2d?, adding residual: consuming Tensor?, relu: Bool)
        throws -> Tensor
    {
        let convolution = Convolution(geometry: try geometry(of: x), hasBias: true, winograd: usesWinograd ?? Engine.useWinograd,
                                      dataType: x.dataType)
        saved = nil
        let sources = [weight] + (bias.map { [$0] } ?? []) + (norm?.inferenceParameters ?? [])
        return convolution.inferenceForward(
            x, sources: sources, weight: { foldedWeight(norm) }, bias: { foldedBias(norm) }, weights: foldedWeights,
            adding: consume residual, relu: relu)
    }

    /// The weight with each output channel o scaled by `norm`'s s[o] (the weight itself without `norm`).
    package func foldedWeight(_ norm: BatchNorm2d?) -> Tensor {
        guard let norm else { return weight.value }
        let scale = norm.inferenceMap().scale
        var folded = weight.value.plain()
        let count = folded.count, perChannel = count / outChannels
        folded.withUnsafeMutableStorage { values in
            for index in 0..<count { values[index] = Float(Double(values[index]) * scale[index / perChannel]) }
        }
        return folded
    }

    /// s[o] · b[o] + t[o] with `norm`'s inference map s, t (b = 0 without bias; s = 1, t = 0 without `norm`).
    package func foldedBias(_ norm: BatchNorm2d?) -> Tensor {
        let own = bias?.value.scalars.map(Double.init) ?? Array(repeating: 0, count: outChannels)
        guard let (scale, shift) = norm?.inferenceMap() else { return Tensor(shape: [outChannels], values: own.map(Float.init)) }
        return Tensor(shape: [outChannels], values: (0..<outChannels).map { Float(scale[$0] * own[$0] + shift[$0]) })
    }

    /// Drops what the last training forward kept for `backward`.
    func releaseSavedState() { saved = nil }

    /// dy [N, out, OH, OW] (any layout) → dx [N, in, H, W]; adds to the weight and bias gradients.
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let saved else { preconditionFailure("\(name): backward without a training-mode forward") }
        precondition(dy.shape == saved.convolution.geometry.outputShape,
                     "\(name): output gradient of shape \(dy.shape), forward produced \(saved.convolution.geometry.outputShape)")
        return saved.convolution.backward(dy, input: saved.input, weight: weight, bias: bias, weights: weights,
                                          needsInputGradient: needsInputGradient)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

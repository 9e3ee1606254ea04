import CDNNL

/// 2-D pooling on oneDNN: max pooling (with the workspace its backward uses) and average pooling, over
/// [N, C, H, W] in any layout; results in the input's layout. Primitives are cached by
/// (kind, layout, window, stride, padding); the output has the input's element type.
package struct Pooling {
    package enum Kind: Hashable { case max, average }

    let kind: Kind
    /// The input's layout (and shape).
    let layout: MemoryDescriptor
    /// Window rows and columns.
    let window: (height: Int, width: Int)
    let stride: Int
    /// Implicit padding on every side (ignored by max pooling's maximum, as PyTorch's −∞ padding).
    let padding: Int

    /// A value with the given members.
    package init(kind: Kind, layout: MemoryDescriptor, window: (height: Int, width: Int), stride: Int, padding: Int) {
        self.kind = kind
        self.layout = layout
        self.window = window
        self.stride = stride
        self.padding = padding
    }

    /// Training forward (max pooling writes the workspace), inference forward (no workspace), backward.
    private enum Pass: Hashable { case forward, inference, backward }

    private struct Key: Hashable {
        let pass: Pass
        let kind: Kind
        let layout: [UInt8]
        let window: [Int]
        let stride: Int
        let padding: Int
    }

    private static let cache = PrimitiveCache<Key>()

    private func key(_ pass: Pass) -> Key {
        Key(pass: pass, kind: kind, layout: layout.keyBytes, window: [window.height, window.width], stride: stride,
            padding: padding)
    }

    /// [N, C, OH, OW] with OH = ⌊(H + 2p − kh) / s⌋ + 1 (PyTorch's floor mode), OW likewise.
    package var outputShape: [Int] {
        let shape = layout.shape
        return [shape[0], shape[1], (shape[2] + 2 * padding - window.height) / stride + 1,
                (shape[3] + 2 * padding - window.width) / stride + 1]
    }

    private var algorithm: dnnl_alg_kind_t { kind == .max ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding }
    private var strides: [dnnl_dim_t] { [dnnl_dim_t(stride), dnnl_dim_t(stride)] }
    private var kernel: [dnnl_dim_t] { [dnnl_dim_t(window.height), dnnl_dim_t(window.width)] }
    private var pads: [dnnl_dim_t] { [dnnl_dim_t(padding), dnnl_dim_t(padding)] }
    private var description: String { "\(kind) pooling \(window) stride \(stride) of shape \(layout.shape)" }

    /// The forward primitive of `pass` (`.forward` or `.inference`).
    private func forwardPrimitive(_ pass: Pass) -> Primitive {
        Self.cache.primitive(for: key(pass)) {
            var source = layout.raw
            var destination = MemoryDescriptor.any(outputShape, layout.dataType).raw
            var operation = dnnl_pooling_desc_t()
            Engine.check(
                dnnl_pooling_forward_desc_init(
                    &operation, pass == .forward ? dnnl_forward_training : dnnl_forward_inference, algorithm, &source,
                    &destination, strides, kernel, pads, pads),
                "describing \(description)")
            return Primitive.create(&operation, description)
        }
    }

    private var forwardPrimitive: Primitive { forwardPrimitive(.forward) }

    private var backwardPrimitive: Primitive {
        Self.cache.primitive(for: key(.backward)) {
            var diffSource = layout.raw
            var diffDestination = MemoryDescriptor.any(outputShape, layout.dataType).raw
            var operation = dnnl_pooling_desc_t()
            Engine.check(
                dnnl_pooling_backward_desc_init(
                    &operation, algorithm, &diffSource, &diffDestination, strides, kernel, pads, pads),
                "describing the backward \(description)")
            return Primitive.create(&operation, hint: forwardPrimitive, "backward \(description)")
        }
    }

    /// Forward pass.
    ///
    ///     x  [N, C, H, W]     in `layout`
    ///     y  [N, C, OH, OW]   max: y[n,c,i,j] = max over the window at (s·i − p, s·j − p) inside x
    ///                         average: the mean over the window (no padding counted)
    ///
    /// Returns y (in the primitive's layout, x's for blocked inputs) and, for max pooling in training, the
    /// workspace (which element won) that `backward` needs; without `training` no workspace is written.
    package func forward(_ x: Tensor, training: Bool = true) -> (output: Tensor, workspace: Tensor?) {
        precondition(x.layout == layout, "pooling input in another layout than its primitive's")
        let primitive = forwardPrimitive(training ? .forward : .inference)
        let y = Tensor(uninitialized: primitive.memoryDescriptor(dnnl_query_dst_md))
        var arguments = [(DNNL_ARG_SRC, x), (DNNL_ARG_DST, y)]
        var workspace: Tensor?
        if kind == .max && training {
            let buffer = Tensor(workspace: primitive.memoryDescriptor(dnnl_query_workspace_md))
            arguments.append((DNNL_ARG_WORKSPACE, buffer))
            workspace = buffer
        }
        primitive.execute(arguments)
        return (y, workspace)
    }

    /// Backward pass.
    ///
    ///     dy [N, C, OH, OW]   any layout; reordered into the primitive's
    ///     dx [N, C, H, W]     max: dy routed to the window's winner (summed where windows overlap)
    ///                         average: dy / (window elements inside x) spread over the window
    ///                         in `layout`
    package func backward(_ dy: Tensor, workspace: Tensor?) -> Tensor {
        let primitive = backwardPrimitive
        let dx = Tensor(uninitialized: layout)
        var arguments = [
            (DNNL_ARG_DIFF_DST, dy.reordered(to: primitive.memoryDescriptor(dnnl_query_diff_dst_md))),
            (DNNL_ARG_DIFF_SRC, dx),
        ]
        if let workspace { arguments.append((DNNL_ARG_WORKSPACE, workspace)) }
        primitive.execute(arguments)
        return dx
    }
}

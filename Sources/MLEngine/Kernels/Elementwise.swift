import CDNNL

/// Element-wise kernels on oneDNN (binary add, ReLU forward and backward) and gradient accumulation.
///
/// Every kernel accepts any layout and returns its result in its (first) input's layout, so blocked
/// activations stay blocked from layer to layer. Primitives are cached by (op, layout).
public enum Elementwise {
    private enum Operation: Hashable { case add, addReLU, reluForward, reluBackward }

    private struct Key: Hashable {
        let operation: Operation
        let layout: [UInt8]
    }

    private static let cache = PrimitiveCache<Key>()

    /// Sum of two tensors of the same shape, optionally followed by a ReLU in the same pass:
    ///
    ///     a, b [any shape]   b is reordered into a's layout when they differ
    ///     out  [same]        out[i] = a[i] + b[i] (max(a[i] + b[i], 0) with `relu`), in a's layout
    public static func add(_ a: Tensor, _ b: Tensor, relu: Bool = false) -> Tensor {
        precondition(a.shape == b.shape, "adding tensors of shapes \(a.shape) and \(b.shape)")
        let layout = a.layout
        let primitive = cache.primitive(for: Key(operation: relu ? .addReLU : .add, layout: layout.keyBytes)) {
            var source = layout.raw
            var operation = dnnl_binary_desc_t()
            Engine.check(dnnl_binary_desc_init(&operation, dnnl_binary_add, &source, &source, &source), "describing an add")
            return Primitive.create(&operation, postOperations: relu ? [.relu] : [], "add of shape \(a.shape)")
        }
        let out = Tensor(uninitialized: layout)
        primitive.execute([(DNNL_ARG_SRC_0, a), (DNNL_ARG_SRC_1, b.reordered(to: layout)), (DNNL_ARG_DST, out)])
        return out
    }

    /// ReLU forward:
    ///
    ///     x [any shape, any layout]
    ///     y [same]                    y[i] = max(x[i], 0), in x's layout
    package static func relu(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitialized: x.layout)
        reluPrimitive(x.layout).execute([(DNNL_ARG_SRC, x), (DNNL_ARG_DST, y)])
        return y
    }

    /// The ReLU forward primitive for `layout`; also the hint of its backward.
    private static func reluPrimitive(_ layout: MemoryDescriptor) -> Primitive {
        cache.primitive(for: Key(operation: .reluForward, layout: layout.keyBytes)) {
            var data = layout.raw
            var operation = dnnl_eltwise_desc_t()
            Engine.check(
                dnnl_eltwise_forward_desc_init(
                    &operation, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, &data, 0, 0),
                "describing a ReLU")
            return Primitive.create(&operation, "ReLU of shape \(layout.shape)")
        }
    }

    /// ReLU backward from the forward's output (so the input need not be kept):
    ///
    ///     y  [any shape]   forward's output
    ///     dy [same]        any layout; reordered into y's
    ///     dx [same]        dx[i] = dy[i] if y[i] > 0 else 0, in y's layout
    package static func reluBackward(_ dy: Tensor, output y: Tensor) -> Tensor {
        let layout = y.layout
        let primitive = cache.primitive(for: Key(operation: .reluBackward, layout: layout.keyBytes)) {
            var data = layout.raw
            var operation = dnnl_eltwise_desc_t()
            Engine.check(
                dnnl_eltwise_backward_desc_init(&operation, dnnl_eltwise_relu_use_dst_for_bwd, &data, &data, 0, 0),
                "describing a ReLU backward")
            return Primitive.create(&operation, hint: reluPrimitive(layout), "ReLU backward of shape \(y.shape)")
        }
        let dx = Tensor(uninitialized: layout)
        primitive.execute([(DNNL_ARG_DST, y), (DNNL_ARG_DIFF_DST, dy.reordered(to: layout)), (DNNL_ARG_DIFF_SRC, dx)])
        return dx
    }

    /// Adds `delta` (any layout, the parameter's element count and row-major order, e.g. a grouped
    /// convolution's GOIHW for an OIHW weight) to `parameter`'s gradient; nothing for a buffer.
    ///
    ///     delta    [shape]   any layout; reordered and summed in one oneDNN reorder (sum post-op)
    ///     gradient [shape]   gradient[i] += delta[i]
    package static func accumulate(_ delta: Tensor, into parameter: Parameter) {
        precondition(delta.count == parameter.value.count,
                     "gradient of shape \(delta.shape) for a parameter of shape \(parameter.value.shape)")
        parameter.gradient?.withUnsafeMutableStorage { gradient in
            guard let base = gradient.baseAddress else { return }
            Reorder.run(from: delta.layout, delta.storage.base, to: MemoryDescriptor(plain: delta.shape), base,
                        accumulating: true)
        }
    }
}

import CDNNL

/// 2-D convolution on oneDNN: forward (training), backward-data and backward-weights (+ bias).
///
/// Activations and weights use `format_tag_any`, so each primitive picks its preferred (blocked) layouts:
/// the input is reordered into the forward's source layout once (a no-op when the previous layer already
/// produced it), the output stays in the primitive's destination layout (typically nChw16c), and the
/// weights live in the parameter as plain OIHW with reordered copies in a `WeightCache`. Primitives are
/// created once per (pass, geometry, bias, algorithm, data type) and reused.
///
/// In bfloat16 (`dataType`), activations, their gradients and the weight copies are bfloat16, while the
/// bias, the weight and bias gradients and the plain weights stay Float32 (oneDNN's bf16 training recipe):
/// the backward-weights primitive accumulates in Float32 and writes Float32 gradients.
package struct Convolution {
    package let geometry: ConvolutionGeometry
    let hasBias: Bool
    /// `dnnl_convolution_auto` (Winograd where oneDNN finds it faster) instead of the direct algorithm.
    let usesAutomaticAlgorithm: Bool
    /// The element type of activations, their gradients and the weights the primitives read.
    let dataType: DataType

    /// A convolution of `geometry` on activations of `dataType`; `winograd` takes effect only on 3×3
    /// stride-1 ungrouped Float32 geometries (oneDNN has no bf16 Winograd).
    package init(geometry: ConvolutionGeometry, hasBias: Bool, winograd: Bool, dataType: DataType = .float32) {
        self.geometry = geometry
        self.hasBias = hasBias
        self.usesAutomaticAlgorithm = winograd && geometry.admitsWinograd && dataType == .float32
        self.dataType = dataType
    }

    /// Training forward, the two backward passes, and the inference forward with its fused post-ops.
    private enum Pass: Hashable {
        case forward, backwardData, backwardWeights
        case inference([PostOperation])
    }

    private struct Key: Hashable {
        let pass: Pass
        let geometry: ConvolutionGeometry
        let hasBias: Bool
        let automatic: Bool
        let dataType: DataType
    }

    private static let cache = PrimitiveCache<Key>()

    private func key(_ pass: Pass) -> Key {
        Key(pass: pass, geometry: geometry, hasBias: hasBias, automatic: usesAutomaticAlgorithm, dataType: dataType)
    }

    private var algorithm: dnnl_alg_kind_t { usesAutomaticAlgorithm ? dnnl_convolution_auto : dnnl_convolution_direct }
    private var strides: [dnnl_dim_t] { [dnnl_dim_t(geometry.stride), dnnl_dim_t(geometry.stride)] }
    /// oneDNN counts dilation from 0 (PyTorch's dilation − 1).
    private var dilates: [dnnl_dim_t] { [dnnl_dim_t(geometry.dilation - 1), dnnl_dim_t(geometry.dilation - 1)] }
    private var padding: [dnnl_dim_t] { [dnnl_dim_t(geometry.padding), dnnl_dim_t(geometry.padding)] }
    private var plainWeightLayout: MemoryDescriptor { MemoryDescriptor(plain: geometry.primitiveWeightShape) }
    private var biasLayout: MemoryDescriptor { MemoryDescriptor(plain: [geometry.outChannels]) }
    private var description: String { "convolution \(geometry)" }

    /// Calls `body` with a pointer to the bias descriptor, or nil without bias.
    private func withBiasDescriptor<R>(_ body: (UnsafePointer<dnnl_memory_desc_t>?) -> R) -> R {
        var bias = biasLayout.raw
        return withUnsafePointer(to: &bias) { body(hasBias ? $0 : nil) }
    }

    /// The forward primitive for `propagation` with `postOperations` fused after the convolution.
    private func forwardPrimitive(
        _ pass: Pass, propagation: dnnl_prop_kind_t, postOperations: [PostOperation] = []
    ) -> Primitive {
        Self.cache.primitive(for: key(pass)) {
            var source = MemoryDescriptor.any(geometry.inputShape, dataType).raw
            var weights = MemoryDescriptor.any(geometry.primitiveWeightShape, dataType).raw
            var destination = MemoryDescriptor.any(geometry.outputShape, dataType).raw
            var operation = dnnl_convolution_desc_t()
            let status = withBiasDescriptor { bias in
                dnnl_dilated_convolution_forward_desc_init(
                    &operation, propagation, algorithm, &source, &weights, bias, &destination, strides, dilates,
                    padding, padding)
            }
            Engine.check(status, "describing the forward \(description)")
            return Primitive.create(&operation, postOperations: postOperations, description)
        }
    }

    /// The training forward primitive; also the hint both backward passes are created from.
    var forwardPrimitive: Primitive { forwardPrimitive(.forward, propagation: dnnl_forward_training) }

    /// The inference forward primitive with `postOperations` (sum, then ReLU) fused after the convolution.
    /// Described as a training forward: oneDNN 2.6 resolves `convolution_auto` to Winograd only for
    /// `forward_training` (with `forward_inference` it picks its BRGEMM convolution instead).
    func inferencePrimitive(_ postOperations: [PostOperation]) -> Primitive {
        forwardPrimitive(.inference(postOperations), propagation: dnnl_forward_training, postOperations: postOperations)
    }

    private var backwardDataPrimitive: Primitive {
        Self.cache.primitive(for: key(.backwardData)) {
            var diffSource = MemoryDescriptor.any(geometry.inputShape, dataType).raw
            var weights = MemoryDescriptor.any(geometry.primitiveWeightShape, dataType).raw
            var diffDestination = MemoryDescriptor.any(geometry.outputShape, dataType).raw
            var operation = dnnl_convolution_desc_t()
            Engine.check(
                dnnl_dilated_convolution_backward_data_desc_init(
                    &operation, algorithm, &diffSource, &weights, &diffDestination, strides, dilates, padding, padding),
                "describing the backward-data \(description)")
            return Primitive.create(&operation, hint: forwardPrimitive, description)
        }
    }

    private var backwardWeightsPrimitive: Primitive {
        Self.cache.primitive(for: key(.backwardWeights)) {
            var source = MemoryDescriptor.any(geometry.inputShape, dataType).raw
            var diffWeights = MemoryDescriptor.any(geometry.primitiveWeightShape).raw
            var diffDestination = MemoryDescriptor.any(geometry.outputShape, dataType).raw
            var operation = dnnl_convolution_desc_t()
            let status = withBiasDescriptor { diffBias in
                dnnl_dilated_convolution_backward_weights_desc_init(
                    &operation, algorithm, &source, &diffWeights, diffBias, &diffDestination, strides, dilates,
                    padding, padding)
            }
            Engine.check(status, "describing the backward-weights \(description)")
            return Primitive.create(&operation, hint: forwardPrimitive, description)
        }
    }

    /// Forward pass.
    ///
    ///     x      [N, C, H, W]       any layout; reordered into the primitive's source layout
    ///     weight [O, C/G, k, k]     plain OIHW parameter; its reordered copy comes from `weights`
    ///     bias   [O]                optional
    ///     y      [N, O, OH, OW]     y[n,o,i,j] = b[o] + Σ_{c∈group(o),p,q} w[o,c,p,q] · x[n,c,s·i−pad+d·p, s·j−pad+d·q]
    ///
    /// Returns y (in the primitive's destination layout) and x as the primitive read it, which `backward`
    /// needs.
    package func forward(_ x: Tensor, weight: Parameter, bias: Parameter?, weights: WeightCache) -> (output: Tensor, input: Tensor) {
        let primitive = forwardPrimitive
        let source = x.reordered(to: primitive.memoryDescriptor(dnnl_query_src_md))
        let w = weights.value(of: weight, as: plainWeightLayout, in: primitive.memoryDescriptor(dnnl_query_weights_md))
        let y = Tensor(uninitialized: primitive.memoryDescriptor(dnnl_query_dst_md))
        var arguments = [
            (DNNL_ARG_SRC, source),
            (DNNL_ARG_WEIGHTS, w),
            (DNNL_ARG_DST, y),
        ]
        if hasBias, let bias { arguments.append((DNNL_ARG_BIAS, bias.value.plain())) }
        primitive.execute(arguments)
        return (y, source)
    }

    /// Inference forward (`inferencePrimitive`) with a bias, optionally adding a residual and applying ReLU
    /// inside the convolution (oneDNN post-ops), for a convolution with its batch norm folded in:
    ///
    ///     x        [N, C, H, W]     any layout; reordered into the primitive's source layout
    ///     weight   [O, C/G, k, k]   plain OIHW from `weight()`, reordered copy cached in `weights`
    ///     bias     [O]              from `bias()`, cached in `weights`
    ///     residual [N, O, OH, OW]   optional, any layout
    ///     y        [N, O, OH, OW]   z = conv(x, w) + b (+ residual); y = max(z, 0) when `relu`, else z
    ///
    /// `weight` and `bias` are recomputed only when a parameter in `sources` changes its version.
    /// Returns y in the primitive's destination layout. The sum post-op adds into the destination, which
    /// starts as the residual: its own storage when this call holds the only reference to it (a consumed
    /// tensor in the destination's layout), else a copy, so no other holder ever sees it change.
    package func inferenceForward(
        _ x: Tensor, sources: [Parameter], weight: () -> Tensor, bias: () -> Tensor, weights: WeightCache,
        adding residual: consuming Tensor?, relu: Bool
    ) -> Tensor {
        precondition(hasBias, "the inference convolution takes a (folded) bias")
        let primitive = inferencePrimitive((residual == nil ? [] : [.sum]) + (relu ? [.relu] : []))
        let layout = primitive.memoryDescriptor(dnnl_query_dst_md)
        if let residual { precondition(residual.shape == layout.shape, "residual \(residual.shape) for \(description)") }
        let source = x.reordered(to: primitive.memoryDescriptor(dnnl_query_src_md))
        let w = weights.value(from: sources, as: plainWeightLayout, in: primitive.memoryDescriptor(dnnl_query_weights_md),
                              make: weight)
        let b = weights.value(from: sources, as: biasLayout, in: biasLayout, make: bias)
        var y = (consume residual).map { $0.reordered(to: layout) } ?? Tensor(uninitialized: layout)
        y.withUniqueKernelPointer { destination in
            primitive.execute([
                (DNNL_ARG_SRC, source.layout, source.kernelPointer),
                (DNNL_ARG_WEIGHTS, w.layout, w.kernelPointer),
                (DNNL_ARG_BIAS, b.layout, b.kernelPointer),
                (DNNL_ARG_DST, layout, destination),
            ])
        }
        return y
    }

    /// Backward pass: accumulates the parameter gradients and returns dx unless `needsInputGradient` is false.
    ///
    ///     dy     [N, O, OH, OW]     any layout
    ///     input  [N, C, H, W]       forward's returned input
    ///     dw     [O, C/G, k, k]     += Σ_{n,i,j} dy[n,o,i,j] · x[n,c,s·i−pad+d·p, s·j−pad+d·q]
    ///     db     [O]                += Σ_{n,i,j} dy[n,o,i,j]
    ///     dx     [N, C, H, W]       dx[n,c,h,w] = Σ_{o,p,q: h = s·i−pad+d·p, w = s·j−pad+d·q} w[o,c,p,q] · dy[n,o,i,j]
    ///                               in the backward-data primitive's layout
    package func backward(
        _ dy: Tensor, input: Tensor, weight: Parameter, bias: Parameter?, weights: WeightCache, needsInputGradient: Bool
    ) -> Tensor? {
        let weightsPass = backwardWeightsPrimitive
        let dyForWeights = dy.reordered(to: weightsPass.memoryDescriptor(dnnl_query_diff_dst_md))
        let source = input.reordered(to: weightsPass.memoryDescriptor(dnnl_query_src_md))
        let dw = Tensor(uninitialized: weightsPass.memoryDescriptor(dnnl_query_diff_weights_md))
        var arguments = [
            (DNNL_ARG_SRC, source),
            (DNNL_ARG_DIFF_DST, dyForWeights),
            (DNNL_ARG_DIFF_WEIGHTS, dw),
        ]
        let db = Tensor(uninitialized: biasLayout)
        if hasBias { arguments.append((DNNL_ARG_DIFF_BIAS, db)) }
        weightsPass.execute(arguments)
        Elementwise.accumulate(dw, into: weight)
        if hasBias, let bias { Elementwise.accumulate(db, into: bias) }

        guard needsInputGradient else { return nil }
        let dataPass = backwardDataPrimitive
        let dyForData = dyForWeights.reordered(to: dataPass.memoryDescriptor(dnnl_query_diff_dst_md))
        let w = weights.value(of: weight, as: plainWeightLayout, in: dataPass.memoryDescriptor(dnnl_query_weights_md))
        let dx = Tensor(uninitialized: dataPass.memoryDescriptor(dnnl_query_diff_src_md))
        dataPass.execute([
            (DNNL_ARG_DIFF_DST, dyForData),
            (DNNL_ARG_WEIGHTS, w),
            (DNNL_ARG_DIFF_SRC, dx),
        ])
        return dx
    }
}

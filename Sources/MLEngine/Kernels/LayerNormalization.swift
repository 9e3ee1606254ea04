import CDNNL

/// Layer normalisation on oneDNN over the last dimension of a plain [N, C] tensor, per row n:
///
///     y[n,c] = γ[c] · (x[n,c] − μ[n]) / √(σ²[n] + ε) + β[c]     μ, σ² the row's mean and biased variance
///
/// Primitives are cached by (pass, shape, ε, affine).
package struct LayerNormalization {
    /// [N, C]
    let shape: [Int]
    let epsilon: Float
    /// Whether γ and β are applied (and differentiated).
    let affine: Bool

    /// A value with the given members.
    package init(shape: [Int], epsilon: Float, affine: Bool) {
        self.shape = shape
        self.epsilon = epsilon
        self.affine = affine
    }

    private enum Pass: Hashable { case forward, backward }

    private struct Key: Hashable {
        let pass: Pass
        let shape: [Int]
        let epsilon: Float
        let affine: Bool
    }

    private static let cache = PrimitiveCache<Key>()

    private func key(_ pass: Pass) -> Key { Key(pass: pass, shape: shape, epsilon: epsilon, affine: affine) }
    private var flags: UInt32 { affine ? dnnl_use_scale.rawValue | dnnl_use_shift.rawValue : 0 }
    private var dataLayout: MemoryDescriptor { MemoryDescriptor(plain: shape) }
    private var statisticsLayout: MemoryDescriptor { MemoryDescriptor(plain: [shape[0]]) }
    private var parameterLayout: MemoryDescriptor { MemoryDescriptor(plain: [shape[1]]) }

    private var forwardPrimitive: Primitive {
        Self.cache.primitive(for: key(.forward)) {
            var data = dataLayout.raw
            var statistics = statisticsLayout.raw
            var operation = dnnl_layer_normalization_desc_t()
            Engine.check(
                dnnl_layer_normalization_forward_desc_init(
                    &operation, dnnl_forward_training, &data, &statistics, epsilon, flags),
                "describing a layer norm of shape \(shape)")
            return Primitive.create(&operation, "layer norm of shape \(shape)")
        }
    }

    private var backwardPrimitive: Primitive {
        Self.cache.primitive(for: key(.backward)) {
            var data = dataLayout.raw
            var statistics = statisticsLayout.raw
            var operation = dnnl_layer_normalization_desc_t()
            Engine.check(
                dnnl_layer_normalization_backward_desc_init(
                    &operation, affine ? dnnl_backward : dnnl_backward_data, &data, &data, &statistics, epsilon, flags),
                "describing a layer norm backward of shape \(shape)")
            return Primitive.create(&operation, hint: forwardPrimitive, "layer norm backward of shape \(shape)")
        }
    }

    /// Forward pass.
    ///
    ///     x            [N, C]   plain
    ///     scale, shift [C]      γ, β (ignored unless affine)
    ///     y            [N, C]   plain
    ///     mean, variance [N]    the row statistics `backward` needs
    package func forward(_ x: Tensor, scale: Tensor?, shift: Tensor?) -> (output: Tensor, mean: Tensor, variance: Tensor) {
        let source = x.plain()
        let y = Tensor(uninitialized: dataLayout)
        let mean = Tensor(uninitialized: statisticsLayout), variance = Tensor(uninitialized: statisticsLayout)
        let arguments = [(DNNL_ARG_SRC, source), (DNNL_ARG_DST, y), (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance)]
        forwardPrimitive.execute(arguments + AffineArguments.forward(affine: affine, scale: scale, shift: shift))
        return (y, mean, variance)
    }

    /// Backward pass.
    ///
    ///     dy [N, C]    any layout
    ///     dγ [C]       Σ_n dy · x̂        with x̂ = (x − μ)/√(σ² + ε)
    ///     dβ [C]       Σ_n dy
    ///     dx [N, C]    1/√(σ²+ε) · (g − mean_c(g) − x̂ · mean_c(g · x̂))   with g = γ · dy, means over the row
    ///
    /// `shift` is passed because oneDNN 2.6 insists on it with `use_shift` (dx does not depend on it).
    package func backward(_ dy: Tensor, input x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor?, shift: Tensor?)
        -> (input: Tensor, scale: Tensor?, shift: Tensor?)
    {
        let dx = Tensor(uninitialized: dataLayout)
        let arguments = [
            (DNNL_ARG_SRC, x.plain()), (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance),
            (DNNL_ARG_DIFF_DST, dy.plain()), (DNNL_ARG_DIFF_SRC, dx),
        ]
        let affineArguments = AffineArguments.backward(affine: affine, scale: scale, shift: shift, layout: parameterLayout)
        backwardPrimitive.execute(arguments + affineArguments.arguments)
        return (dx, affineArguments.scale, affineArguments.shift)
    }
}

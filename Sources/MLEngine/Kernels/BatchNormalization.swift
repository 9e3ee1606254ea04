import CDNNL

/// Batch normalisation on oneDNN over a tensor [N, C, …] (2-D or 4-D) in any layout, per channel c:
///
///     y[n,c,…] = γ[c] · (x[n,c,…] − μ[c]) / √(σ²[c] + ε) + β[c]
///
/// With batch statistics μ, σ² (biased: divided by the N·H·W elements per channel) are computed from x
/// and returned; with global statistics (`use_global_stats`) they are inputs — the running estimates —
/// and the backward pass treats them as constants (frozen batch norm), while γ and β still get gradients.
/// With `fusesReLU` the output is max(y, 0) and the backward masks dy by where it was positive (oneDNN's
/// `fuse_norm_relu`, a workspace between the passes), saving a ReLU layer's two passes over the activation.
/// Results are in x's layout (and element type; γ, β and the statistics are Float32 in any case).
/// Primitives are cached by (pass, layout, ε, affine, statistics, ReLU).
package struct BatchNormalization {
    let layout: MemoryDescriptor
    let epsilon: Float
    /// Whether γ and β are applied (and differentiated).
    let affine: Bool
    /// Whether μ and σ² are given (running statistics) rather than computed from the batch.
    let globalStatistics: Bool
    /// Whether a ReLU follows inside the primitive.
    let fusesReLU: Bool

    /// A value with the given members.
    package init(layout: MemoryDescriptor, epsilon: Float, affine: Bool, globalStatistics: Bool, fusesReLU: Bool = false) {
        self.layout = layout
        self.epsilon = epsilon
        self.affine = affine
        self.globalStatistics = globalStatistics
        self.fusesReLU = fusesReLU
    }

    private enum Pass: Hashable { case forward, backward }

    private struct Key: Hashable {
        let pass: Pass
        let layout: [UInt8]
        let epsilon: Float
        let affine: Bool
        let globalStatistics: Bool
        let fusesReLU: Bool
    }

    private static let cache = PrimitiveCache<Key>()

    private func key(_ pass: Pass) -> Key {
        Key(pass: pass, layout: layout.keyBytes, epsilon: epsilon, affine: affine, globalStatistics: globalStatistics,
            fusesReLU: fusesReLU)
    }

    private var flags: UInt32 {
        (affine ? dnnl_use_scale.rawValue | dnnl_use_shift.rawValue : 0)
            | (globalStatistics ? dnnl_use_global_stats.rawValue : 0) | (fusesReLU ? dnnl_fuse_norm_relu.rawValue : 0)
    }

    private var channels: Int { layout.shape[1] }
    private var statisticsLayout: MemoryDescriptor { MemoryDescriptor(plain: [channels]) }

    private var forwardPrimitive: Primitive {
        Self.cache.primitive(for: key(.forward)) {
            var data = layout.raw
            var operation = dnnl_batch_normalization_desc_t()
            Engine.check(
                dnnl_batch_normalization_forward_desc_init(&operation, dnnl_forward_training, &data, epsilon, flags),
                "describing a batch norm of shape \(layout.shape)")
            return Primitive.create(&operation, "batch norm of shape \(layout.shape)")
        }
    }

    private var backwardPrimitive: Primitive {
        Self.cache.primitive(for: key(.backward)) {
            var data = layout.raw
            var operation = dnnl_batch_normalization_desc_t()
            Engine.check(
                dnnl_batch_normalization_backward_desc_init(
                    &operation, affine ? dnnl_backward : dnnl_backward_data, &data, &data, epsilon, flags),
                "describing a batch norm backward of shape \(layout.shape)")
            return Primitive.create(&operation, hint: forwardPrimitive, "batch norm backward of shape \(layout.shape)")
        }
    }

    /// Forward pass.
    ///
    ///     x          [N, C, …]   in `layout`
    ///     scale, shift [C]       γ, β (ignored unless affine)
    ///     statistics ([C], [C])  μ, σ² — required with global statistics, nil otherwise
    ///     y          [N, C, …]   in `layout` (max(y, 0) when `fusesReLU`)
    ///
    /// Returns y, the statistics used (the batch's, biased σ², when they were computed) and, when `fusesReLU`,
    /// the workspace `backward` needs.
    package func forward(_ x: Tensor, scale: Tensor?, shift: Tensor?, statistics: (mean: Tensor, variance: Tensor)?)
        -> (output: Tensor, mean: Tensor, variance: Tensor, workspace: Tensor?)
    {
        precondition(x.layout == layout, "batch norm input in another layout than its primitive's")
        precondition(globalStatistics == (statistics != nil), "batch norm statistics given iff global")
        let y = Tensor(uninitialized: layout)
        let mean = statistics?.mean.plain() ?? Tensor(uninitialized: statisticsLayout)
        let variance = statistics?.variance.plain() ?? Tensor(uninitialized: statisticsLayout)
        var arguments = [(DNNL_ARG_SRC, x), (DNNL_ARG_DST, y), (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance)]
        let workspace = fusesReLU ? Tensor(workspace: forwardPrimitive.memoryDescriptor(dnnl_query_workspace_md)) : nil
        if let workspace { arguments.append((DNNL_ARG_WORKSPACE, workspace)) }
        forwardPrimitive.execute(arguments + AffineArguments.forward(affine: affine, scale: scale, shift: shift))
        return (y, mean, variance, workspace)
    }

    /// Backward pass.
    ///
    ///     dy [N, C, …]   any layout; reordered into `layout` (and masked where the fused ReLU cut)
    ///     x, mean, variance, scale, shift, workspace   as the forward used or returned them (oneDNN 2.6
    ///                    insists on the shift argument with `use_shift` although dx does not depend on it)
    ///     dγ [C]         Σ_{n,…} dy · x̂                  with x̂ = (x − μ)/√(σ² + ε)
    ///     dβ [C]         Σ_{n,…} dy
    ///     dx [N, C, …]   batch statistics:  γ/√(σ²+ε) · (dy − mean(dy) − x̂ · mean(dy · x̂))   (means per channel)
    ///                    global statistics: γ/√(σ²+ε) · dy
    ///
    /// Returns dx (in `layout`) and, when affine, dγ and dβ.
    package func backward(
        _ dy: Tensor, input x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor?, shift: Tensor?,
        workspace: Tensor? = nil
    ) -> (input: Tensor, scale: Tensor?, shift: Tensor?) {
        precondition(fusesReLU == (workspace != nil), "the fused ReLU's workspace is given iff the ReLU is fused")
        let dx = Tensor(uninitialized: layout)
        var arguments = [
            (DNNL_ARG_SRC, x), (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance),
            (DNNL_ARG_DIFF_DST, dy.reordered(to: layout)), (DNNL_ARG_DIFF_SRC, dx),
        ]
        if let workspace { arguments.append((DNNL_ARG_WORKSPACE, workspace)) }
        let affineArguments = AffineArguments.backward(affine: affine, scale: scale, shift: shift, layout: statisticsLayout)
        backwardPrimitive.execute(arguments + affineArguments.arguments)
        return (dx, affineArguments.scale, affineArguments.shift)
    }
}

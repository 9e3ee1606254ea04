import CDNNL

/// The γ/β arguments batch and layer normalisation share (oneDNN's `use_scale | use_shift`).
enum AffineArguments {
    /// γ and β as the primitive reads them (plain); none unless `affine` and both are given.
    static func forward(affine: Bool, scale: Tensor?, shift: Tensor?) -> [(Int32, Tensor)] {
        guard affine, let scale, let shift else { return [] }
        return [(DNNL_ARG_SCALE, scale.plain()), (DNNL_ARG_SHIFT, shift.plain())]
    }

    /// γ and β (oneDNN 2.6 insists on β with `use_shift` although dx does not depend on it) and fresh dγ,
    /// dβ buffers in `layout` ([C], plain) for the primitive to fill; no arguments and nil gradients
    /// unless `affine` and both are given.
    static func backward(affine: Bool, scale: Tensor?, shift: Tensor?, layout: MemoryDescriptor)
        -> (arguments: [(Int32, Tensor)], scale: Tensor?, shift: Tensor?)
    {
        guard affine, scale != nil, shift != nil else { return ([], nil, nil) }
        let dScale = Tensor(uninitialized: layout), dShift = Tensor(uninitialized: layout)
        let arguments = forward(affine: affine, scale: scale, shift: shift)
            + [(DNNL_ARG_DIFF_SCALE, dScale), (DNNL_ARG_DIFF_SHIFT, dShift)]
        return (arguments, dScale, dShift)
    }
}

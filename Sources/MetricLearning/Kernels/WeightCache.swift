/// A parameter's value reordered into the layouts primitives asked for (e.g. the blocked weight formats
/// of a convolution's forward and backward-data passes), kept until the parameter's `version` changes,
/// i.e. until the next optimizer step or load.
final class WeightCache: @unchecked Sendable {
    private var version: UInt64?
    private var copies: [Tensor] = []

    /// `parameter`'s plain value seen as `plainLayout` (same element count, e.g. OIHW as grouped GOIHW)
    /// and reordered into `layout`; reorders at most once per layout and parameter version.
    func value(of parameter: Parameter, as plainLayout: MemoryDescriptor, in layout: MemoryDescriptor) -> Tensor {
        if version != parameter.version {
            copies.removeAll(keepingCapacity: true)
            version = parameter.version
        }
        if let cached = copies.first(where: { $0.layout == layout }) { return cached }
        let copy = parameter.value.plain().viewed(as: plainLayout).reordered(to: layout)
        copies.append(copy)
        return copy
    }
}

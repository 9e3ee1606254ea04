/// Weights reordered into the layouts primitives asked for (e.g. the blocked weight formats of a
/// convolution's forward and backward-data passes), kept until one of the parameters they were computed
/// from changes (its `version`: the next optimizer step, load, or running-statistics update).
package final class WeightCache: @unchecked Sendable {
    private var sources: [ObjectIdentifier] = []
    private var versions: [UInt64] = []
    private var copies: [Tensor] = []

    /// An empty cache.
    package init() {}

    /// The tensor `make` computes from `parameters`, seen as `plainLayout` (same element count, e.g. OIHW
    /// as grouped GOIHW) and reordered into `layout`; computed at most once per layout while the
    /// parameters keep their versions.
    func value(
        from parameters: [Parameter], as plainLayout: MemoryDescriptor, in layout: MemoryDescriptor,
        make: () -> Tensor
    ) -> Tensor {
        let identities = parameters.map(ObjectIdentifier.init)
        let current = parameters.map(\.version)
        if identities != sources || current != versions {
            copies.removeAll(keepingCapacity: true)
            sources = identities
            versions = current
        }
        if let cached = copies.first(where: { $0.layout == layout }) { return cached }
        let copy = make().plain().viewed(as: plainLayout).reordered(to: layout)
        copies.append(copy)
        return copy
    }

    /// `parameter`'s plain value seen as `plainLayout` and reordered into `layout`; reorders at most once
    /// per layout and parameter version.
    func value(of parameter: Parameter, as plainLayout: MemoryDescriptor, in layout: MemoryDescriptor) -> Tensor {
        value(from: [parameter], as: plainLayout, in: layout) { parameter.value }
    }
}

import CDNNL

/// Copies data between two layouts of the same dimensions (oneDNN reorder primitives, cached by layout pair).
enum Reorder {
    private static let cache = PrimitiveCache<ReorderKey>()

    private struct ReorderKey: Hashable {
        let source: [UInt8]
        let destination: [UInt8]
        let accumulating: Bool
    }

    /// Reorders `count` floats at `source` (layout `from`) into `destination` (layout `to`); when
    /// `accumulating`, adds them to what `destination` holds instead (a reorder with a sum post-op).
    static func run(
        from: MemoryDescriptor, _ source: UnsafeMutablePointer<Float>,
        to: MemoryDescriptor, _ destination: UnsafeMutablePointer<Float>, accumulating: Bool = false
    ) {
        let key = ReorderKey(source: from.keyBytes, destination: to.keyBytes, accumulating: accumulating)
        let primitive = cache.primitive(for: key) {
            let attributes = primitiveAttributes(postOperations: accumulating ? [.sum] : [])
            defer { dnnl_primitive_attr_destroy(attributes) }
            var pd: dnnl_primitive_desc_t?
            var src = from.raw, dst = to.raw
            Engine.check(
                dnnl_reorder_primitive_desc_create(&pd, &src, Engine.shared.engine, &dst, Engine.shared.engine, attributes),
                "creating a reorder from \(from.shape)")
            guard let pd else { preconditionFailure("oneDNN returned no reorder for shape \(from.shape)") }
            return pd
        }
        primitive.execute([
            (DNNL_ARG_FROM, from, UnsafeMutableRawPointer(source)),
            (DNNL_ARG_TO, to, UnsafeMutableRawPointer(destination)),
        ])
    }
}

extension MemoryDescriptor {
    /// The descriptor's bytes, a hashable key for primitive caches.
    var keyBytes: [UInt8] { withUnsafeBytes(of: raw) { Array($0) } }
}

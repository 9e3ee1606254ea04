import CDNNL
import Foundation

/// Where time goes while a profile records: each oneDNN primitive execution (and `GEMM.sgemm`) by
/// operation — kind, pass, implementation; reorders with their element types — and the blocks the
/// `CachingAllocator` had to take from the system. What `dml bench model --profile` prints; the wall time
/// not covered by these is Swift code between primitives (and whatever the caller times on its own).
public final class PrimitiveProfile: @unchecked Sendable {
    /// One operation's executions (on one shape, or summed over its shapes).
    public struct Entry: Sendable {
        /// e.g. "convolution backward_weights jit_bf16:avx512_core_bf16" or "reorder f32→bf16 jit:uni".
        public let operation: String
        /// The tensors' dimensions, e.g. "[16, 64, 56, 56] × [64, 64, 3, 3]" (empty when summed over shapes).
        public let shape: String
        /// Executions recorded.
        public var count: Int
        /// Their total wall time.
        public var seconds: Double
    }

    /// The profile recording now, if any (primitives run on the calling thread, one at a time).
    nonisolated(unsafe) static var current: PrimitiveProfile?

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private let allocationsAtStart: (count: Int, bytes: Int)
    private var allocationsAtEnd: (count: Int, bytes: Int)?

    private init() {
        allocationsAtStart = CachingAllocator.shared.systemAllocations
    }

    /// Runs `body` with a new profile recording; returns its result and the profile.
    public static func recording<R>(_ body: (PrimitiveProfile) throws -> R) rethrows -> (result: R, profile: PrimitiveProfile) {
        let profile = PrimitiveProfile()
        current = profile
        defer {
            current = nil
            profile.allocationsAtEnd = CachingAllocator.shared.systemAllocations
        }
        return (try body(profile), profile)
    }

    /// The operations summed over their shapes, most time first.
    public var operations: [Entry] {
        let byOperation = Dictionary(grouping: operationsByShape, by: \.operation).map { operation, entries in
            Entry(operation: operation, shape: "", count: entries.reduce(0) { $0 + $1.count },
                  seconds: entries.reduce(0) { $0 + $1.seconds })
        }
        return byOperation.sorted { $0.seconds > $1.seconds }
    }

    /// The operations on each shape, most time first.
    public var operationsByShape: [Entry] { lock.withLock { entries.values.sorted { $0.seconds > $1.seconds } } }

    /// Blocks (and their bytes) the caching allocator took from the system while recording, not reusing one.
    public var systemAllocations: (count: Int, bytes: Int) {
        let end = allocationsAtEnd ?? CachingAllocator.shared.systemAllocations
        return (end.count - allocationsAtStart.count, end.bytes - allocationsAtStart.bytes)
    }

    /// `body`'s result, its time recorded as one execution of `operation` (for work outside oneDNN, such as
    /// an optimizer step; primitives it runs are recorded under their own names as well).
    public func time<R>(_ operation: String, _ body: () throws -> R) rethrows -> R {
        let start = ContinuousClock.now
        defer { add((operation, ""), since: start) }
        return try body()
    }

    /// Adds one execution of `operation` on `shape` that started at `start`.
    func add(_ name: @autoclosure () -> (operation: String, shape: String), since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let (operation, shape) = name()
        let key = operation + "|" + shape
        lock.withLock {
            entries[key, default: Entry(operation: operation, shape: shape, count: 0, seconds: 0)].count += 1
            entries[key]?.seconds += seconds
        }
    }
}

extension Primitive {
    /// The primitive's operation as a profile names it — kind, pass and implementation (for reorders, the
    /// element types instead of the pass) — and the dimensions of its source (and weights).
    func describeOperation() -> (operation: String, shape: String) {
        let dimensions = [dnnl_query_src_md, dnnl_query_diff_src_md, dnnl_query_weights_md, dnnl_query_diff_weights_md]
            .map { query in dnnl_primitive_desc_query_md(descriptor, query, 0).map { MemoryDescriptor(raw: $0.pointee).shape } ?? [] }
        let source = dimensions[0].isEmpty ? dimensions[1] : dimensions[0]
        let weights = dimensions[2].isEmpty ? dimensions[3] : dimensions[2]
        return (describeKind(), "\(source)" + (weights.isEmpty ? "" : " × \(weights)"))
    }

    private func describeKind() -> String {
        var kind = dnnl_undefined_primitive
        Engine.check(dnnl_primitive_desc_query(descriptor, dnnl_query_primitive_kind, 0, &kind), "querying the kind")
        let names: [dnnl_primitive_kind_t: String] = [
            dnnl_convolution: "convolution", dnnl_batch_normalization: "batch_norm", dnnl_eltwise: "eltwise",
            dnnl_binary: "binary", dnnl_pooling_v2: "pooling", dnnl_pooling: "pooling", dnnl_reorder: "reorder",
            dnnl_layer_normalization: "layer_norm", dnnl_matmul: "matmul", dnnl_inner_product: "inner_product",
        ]
        let name = names[kind] ?? "primitive \(kind.rawValue)"
        if kind == dnnl_reorder {
            let types = [dnnl_query_src_md, dnnl_query_dst_md].map { memoryDescriptor($0).typeName }
            return "reorder \(types[0])→\(types[1]) \(implementationName)"
        }
        var pass = dnnl_prop_kind_undef
        let passes: [dnnl_prop_kind_t: String] = [
            dnnl_forward_training: "forward", dnnl_forward_inference: "inference", dnnl_backward: "backward",
            dnnl_backward_data: "backward_data", dnnl_backward_weights: "backward_weights",
        ]
        _ = dnnl_primitive_desc_query(descriptor, dnnl_query_prop_kind, 0, &pass)
        return [name, passes[pass], implementationName].compactMap { $0 }.joined(separator: " ")
    }
}

extension MemoryDescriptor {
    /// "f32", "bf16" or oneDNN's number of another type.
    var typeName: String {
        switch raw.data_type {
        case dnnl_f32: "f32"
        case dnnl_bf16: "bf16"
        default: "type \(raw.data_type.rawValue)"
        }
    }
}

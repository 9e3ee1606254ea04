import CDNNL
import Foundation

/// A oneDNN primitive with its descriptor; executes with memories wrapped around caller buffers.
final class Primitive: @unchecked Sendable {
    let descriptor: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t
    /// Bytes of scratchpad the primitive needs (user-managed scratchpad mode).
    let scratchpadBytes: Int
    /// Its operation and shape in a `PrimitiveProfile` (computed when first profiled).
    private(set) lazy var profileName = describeOperation()

    init(descriptor: dnnl_primitive_desc_t) {
        self.descriptor = descriptor
        var primitive: dnnl_primitive_t?
        Engine.check(dnnl_primitive_create(&primitive, descriptor), "creating a primitive")
        self.primitive = primitive!
        let scratch = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0)
        scratchpadBytes = scratch.map { Int(dnnl_memory_desc_get_size($0)) } ?? 0
    }

    /// The memory descriptor the primitive chose for `query` (e.g. `dnnl_query_src_md`), index `index`.
    func memoryDescriptor(_ query: dnnl_query_t, index: Int32 = 0) -> MemoryDescriptor {
        MemoryDescriptor(raw: dnnl_primitive_desc_query_md(descriptor, query, index)!.pointee)
    }

    /// Runs the primitive on the given (argument, layout, buffer) triples and waits for it.
    func execute(_ arguments: [(Int32, MemoryDescriptor, UnsafeMutableRawPointer)]) {
        let engine = Engine.shared.engine
        var memories: [dnnl_memory_t] = []
        var scratchpad: (UnsafeMutableRawPointer, Int)?
        defer {
            for memory in memories { dnnl_memory_destroy(memory) }
            if let scratchpad { CachingAllocator.shared.release(scratchpad.0, capacity: scratchpad.1) }
        }
        var args: [dnnl_exec_arg_t] = []
        for (argument, layout, pointer) in arguments {
            var memory: dnnl_memory_t?
            var raw = layout.raw
            Engine.check(dnnl_memory_create(&memory, &raw, engine, pointer), "wrapping a buffer")
            memories.append(memory!)
            args.append(dnnl_exec_arg_t(arg: argument, memory: memory))
        }
        if scratchpadBytes > 0 {
            let block = CachingAllocator.shared.allocate(byteCount: scratchpadBytes)
            scratchpad = block
            var memory: dnnl_memory_t?
            let md = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0)!
            Engine.check(dnnl_memory_create(&memory, md, engine, block.pointer), "wrapping a scratchpad")
            memories.append(memory!)
            args.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: memory))
        }
        let profile = PrimitiveProfile.current
        let start = profile.map { _ in ContinuousClock.now }
        Engine.check(
            dnnl_primitive_execute(primitive, Engine.shared.stream, Int32(args.count), args), "executing a primitive")
        Engine.shared.wait()
        if let profile, let start { profile.add(profileName, since: start) }
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }
}

/// Primitives created once per key (op, shapes, layouts, algorithm) and reused.
final class PrimitiveCache<Key: Hashable>: @unchecked Sendable {
    private let lock = NSLock()
    private var primitives: [Key: Primitive] = [:]

    /// The cached primitive for `key`, created from the descriptor `make` returns on first use.
    func primitive(for key: Key, make: () -> dnnl_primitive_desc_t) -> Primitive {
        if let cached = lock.withLock({ primitives[key] }) { return cached }
        let created = Primitive(descriptor: make())
        lock.withLock { primitives[key] = created }
        return created
    }
}

/// An operation oneDNN fuses after a primitive's own (a post-op), applied in order.
enum PostOperation: Hashable {
    /// dst = result + dst's prior value.
    case sum
    /// dst = max(dst, 0).
    case relu
}

/// Primitive attributes with a user-managed scratchpad (so scratchpads come from the caching allocator)
/// and the given post-ops.
func primitiveAttributes(postOperations: [PostOperation] = []) -> dnnl_primitive_attr_t {
    var attr: dnnl_primitive_attr_t?
    Engine.check(dnnl_primitive_attr_create(&attr), "creating primitive attributes")
    Engine.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "setting the scratchpad mode")
    if !postOperations.isEmpty {
        var postOps: dnnl_post_ops_t?
        Engine.check(dnnl_post_ops_create(&postOps), "creating post-ops")
        defer { dnnl_post_ops_destroy(postOps) }
        for operation in postOperations {
            switch operation {
            case .sum: Engine.check(dnnl_post_ops_append_sum(postOps, 1), "appending a sum post-op")
            case .relu: Engine.check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "appending a ReLU post-op")
            }
        }
        Engine.check(dnnl_primitive_attr_set_post_ops(attr, postOps), "setting post-ops")
    }
    return attr!
}

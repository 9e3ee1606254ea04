import CDNNL

extension Primitive {
    /// A primitive for the op descriptor at `opDescriptor` (a `dnnl_*_desc_t` filled by its `_desc_init`),
    /// with a user-managed scratchpad and `postOperations` fused after it; `hint` is the forward primitive
    /// a backward pass refers to.
    static func create(
        _ opDescriptor: UnsafeRawPointer, hint: Primitive? = nil, postOperations: [PostOperation] = [],
        _ what: @autoclosure () -> String
    ) -> dnnl_primitive_desc_t {
        let attributes = primitiveAttributes(postOperations: postOperations)
        defer { dnnl_primitive_attr_destroy(attributes) }
        var descriptor: dnnl_primitive_desc_t?
        Engine.check(
            dnnl_primitive_desc_create(&descriptor, opDescriptor, attributes, Engine.shared.engine, hint?.descriptor),
            "creating the primitive descriptor for \(what())")
        guard let descriptor else { preconditionFailure("oneDNN returned no primitive descriptor for \(what())") }
        return descriptor
    }

    /// Runs the primitive on (argument, tensor) pairs, each tensor in the layout the primitive expects;
    /// the array keeps the tensors' storage alive until the primitive has finished.
    func execute(_ arguments: [(Int32, Tensor)]) {
        execute(arguments.map { ($0.0, $0.1.layout, $0.1.kernelPointer) })
    }

    /// The implementation oneDNN picked (e.g. "jit:avx512_core_fp32_wino_conv_4x3"), for tests and benchmarks.
    var implementationName: String {
        var name: UnsafePointer<CChar>?
        Engine.check(dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name), "querying the implementation")
        return name.map { String(cString: $0) } ?? "unknown"
    }
}

extension Tensor {
    /// The storage as the untyped pointer oneDNN memories wrap (oneDNN only reads inputs).
    var kernelPointer: UnsafeMutableRawPointer { UnsafeMutableRawPointer(storage.base) }

    /// An uninitialised buffer for a primitive's workspace of `layout` (which winners a max pooling chose, where
    /// a fused ReLU cut): bytes of oneDNN's own type, which only primitives read.
    init(workspace layout: MemoryDescriptor) {
        self.init(shape: layout.shape, storage: TensorStorage(byteCount: layout.byteCount), layout: layout)
    }

    /// A tensor with this tensor's storage seen with another shape and layout of no larger size
    /// (e.g. an OIHW weight as the 5-D grouped GOIHW, or a plain [N, C] as [N, C, 1, 1]).
    func viewed(as layout: MemoryDescriptor) -> Tensor {
        Tensor(shape: layout.shape, storage: storage, layout: layout)
    }
}

extension MemoryDescriptor {
    /// A layout of `shape` with elements of `dataType` the primitive chooses (`format_tag_any`).
    static func any(_ shape: [Int], _ dataType: DataType = .float32) -> MemoryDescriptor {
        MemoryDescriptor(shape: shape, tag: dnnl_format_tag_any, dataType: dataType)
    }
}

import CDNNL

/// A oneDNN memory descriptor: the logical dimensions, the element type and the physical layout.
public struct MemoryDescriptor: @unchecked Sendable, Equatable {
    var raw: dnnl_memory_desc_t

    init(raw: dnnl_memory_desc_t) { self.raw = raw }

    /// The plain row-major layout of `shape` (NCHW for 4-D, OIHW for weights).
    public init(plain shape: [Int], dataType: DataType = .float32) {
        self.init(shape: shape, tag: MemoryDescriptor.plainTag(rank: shape.count), dataType: dataType)
    }

    /// A layout given by a oneDNN format tag (`dnnl_format_tag_any` lets a primitive choose).
    init(shape: [Int], tag: dnnl_format_tag_t, dataType: DataType = .float32) {
        var raw = dnnl_memory_desc_t()
        let dims = shape.map { dnnl_dim_t($0) }
        let status = dims.withUnsafeBufferPointer { d in
            dnnl_memory_desc_init_by_tag(&raw, Int32(d.count), d.baseAddress, dataType.dnnl, tag)
        }
        Engine.check(status, "describing a tensor of shape \(shape)")
        self.raw = raw
    }

    /// oneDNN's tag for the plain row-major layout of a tensor of `rank` dimensions.
    static func plainTag(rank: Int) -> dnnl_format_tag_t {
        switch rank {
        case 1: return dnnl_a
        case 2: return dnnl_ab
        case 3: return dnnl_abc
        case 4: return dnnl_abcd
        case 5: return dnnl_abcde
        default: preconditionFailure("tensors of rank \(rank) have no oneDNN layout here")
        }
    }

    /// Bytes a buffer in this layout occupies (blocked layouts may pad channels).
    public var byteCount: Int { Int(withUnsafePointer(to: raw) { dnnl_memory_desc_get_size($0) }) }

    /// Whether this is the plain row-major Float32 layout of its dimensions (what `Tensor.plain()` returns).
    public var isPlain: Bool { self == MemoryDescriptor(plain: shape) }

    /// The element type.
    public var dataType: DataType { DataType(raw.data_type) }

    /// The same layout (dimensions, blocking, element order) with elements of `dataType`.
    public func with(_ dataType: DataType) -> MemoryDescriptor {
        var raw = self.raw
        raw.data_type = dataType.dnnl
        return MemoryDescriptor(raw: raw)
    }

    /// The logical dimensions.
    public var shape: [Int] {
        withUnsafeBytes(of: raw.dims) { buffer in
            Array(buffer.bindMemory(to: dnnl_dim_t.self).prefix(Int(raw.ndims)).map { Int($0) })
        }
    }

    public static func == (lhs: MemoryDescriptor, rhs: MemoryDescriptor) -> Bool {
        withUnsafePointer(to: lhs.raw) { l in withUnsafePointer(to: rhs.raw) { r in dnnl_memory_desc_equal(l, r) != 0 } }
    }
}

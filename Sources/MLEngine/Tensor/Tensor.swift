import CDNNL

/// An n-dimensional array of Float32 values (or bfloat16, see `dataType`) in a oneDNN layout.
///
/// The logical shape is PyTorch's (NCHW for images, OIHW for convolution weights). The storage may be in
/// the plain row-major layout of that shape or in a blocked layout a primitive chose (e.g. nChw16c, which
/// pads channels to a multiple of 16); `layout` says which, and its element type. Swift code reads and
/// writes Float32 only: `plain()`, `scalars` and `reshaped` convert a bfloat16 tensor, and the storage
/// accessors require Float32. Copies share storage until one is mutated.
public struct Tensor: @unchecked Sendable {
    /// The logical dimensions, outermost first.
    public let shape: [Int]
    /// The buffer holding the values in `layout`.
    public private(set) var storage: TensorStorage
    /// The physical layout of `storage`.
    public let layout: MemoryDescriptor

    /// A tensor over existing storage in `layout`.
    init(shape: [Int], storage: TensorStorage, layout: MemoryDescriptor) {
        precondition(storage.count * MemoryLayout<Float>.stride >= layout.byteCount,
                     "storage of \(storage.count) floats is too small for layout of shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.layout = layout
    }

    /// An uninitialised tensor in `layout` (whose dimensions are the shape).
    init(uninitialized layout: MemoryDescriptor) {
        self.init(shape: layout.shape, storage: TensorStorage(byteCount: layout.byteCount), layout: layout)
    }

    /// A plain tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let storage = TensorStorage(count: shape.reduce(1, *))
        storage.base.update(repeating: value, count: storage.count)
        self.init(shape: shape, storage: storage, layout: MemoryDescriptor(plain: shape))
    }

    /// A plain tensor of `shape` holding `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        let storage = TensorStorage(count: values.count)
        values.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: values.count) }
        self.init(shape: shape, storage: storage, layout: MemoryDescriptor(plain: shape))
    }

    /// The number of logical elements.
    public var count: Int { shape.reduce(1, *) }

    /// Whether the storage is in the plain row-major Float32 layout of `shape`.
    public var isPlain: Bool { layout.isPlain }

    /// The element type of the storage.
    public var dataType: DataType { layout.dataType }

    /// This tensor in the plain row-major Float32 layout (itself when already plain).
    public func plain() -> Tensor { reordered(to: MemoryDescriptor(plain: shape)) }

    /// This tensor's values in the same layout with elements of `dataType` (itself when already of it);
    /// Float32 to bfloat16 rounds to nearest even.
    public func converted(to dataType: DataType) -> Tensor { reordered(to: layout.with(dataType)) }

    /// This tensor's values copied into `target` layout, converted to its element type (itself when
    /// already in it).
    public func reordered(to target: MemoryDescriptor) -> Tensor {
        if target == layout { return self }
        let result = Tensor(uninitialized: target)
        Reorder.run(from: layout, storage.base, to: target, result.storage.base)
        return result
    }

    /// The values in row-major order of `shape`.
    public var scalars: [Float] {
        let plain = self.plain()
        return Array(UnsafeBufferPointer(start: plain.storage.base, count: count))
    }

    /// The same values viewed with another shape of equal element count (plain layout).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        let plain = self.plain()
        return Tensor(shape: newShape, storage: plain.storage, layout: MemoryDescriptor(plain: newShape))
    }

    /// Calls `body` with the storage's elements, copying the storage first if another tensor shares it.
    /// The tensor must hold Float32.
    public mutating func withUnsafeMutableStorage<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(layout.raw.data_type == dnnl_f32, "Float32 access to a tensor of another element type")
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    /// Calls `body` with the storage's address for a primitive to write (any element type), copying the
    /// storage first if another tensor shares it.
    mutating func withUniqueKernelPointer<R>(_ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableRawPointer(storage.base))
    }

    /// Calls `body` with the storage's elements for reading. The tensor must hold Float32.
    public func withUnsafeStorage<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(layout.raw.data_type == dnnl_f32, "Float32 access to a tensor of another element type")
        return try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }
}

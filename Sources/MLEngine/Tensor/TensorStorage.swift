/// The reference-counted buffer behind a `Tensor`, taken from the `CachingAllocator`: Float32 elements, or
/// the bytes of another element type (bfloat16 activations, a pooling workspace) counted in 4-byte slots.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Float>
    /// The number of Float32 elements the buffer holds (at least what the tensor's layout needs).
    public let count: Int
    private let capacity: Int

    /// A buffer of `count` elements, uninitialised unless `zeroed`.
    public init(count: Int, zeroed: Bool = false) {
        let block = CachingAllocator.shared.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        base = block.pointer.bindMemory(to: Float.self, capacity: max(count, 1))
        capacity = block.capacity
        self.count = count
        if zeroed { base.update(repeating: 0, count: count) }
    }

    /// An uninitialised buffer of at least `byteCount` bytes (⌈byteCount / 4⌉ Float32 slots).
    public convenience init(byteCount: Int) {
        self.init(count: (byteCount + MemoryLayout<Float>.stride - 1) / MemoryLayout<Float>.stride)
    }

    /// A copy of this buffer.
    public func copy() -> TensorStorage {
        let result = TensorStorage(count: count)
        result.base.update(from: base, count: count)
        return result
    }

    deinit {
        CachingAllocator.shared.release(UnsafeMutableRawPointer(base), capacity: capacity)
    }
}

import MLEngine

/// A copy-on-write array of doubles whose memory comes from the `CachingAllocator`, the storage of
/// `Matrix`. Swift arrays of this size (hundreds of KB per loss step) go to glibc, which hands large
/// blocks back to the OS on free, so every step page-faults them in again (DESIGN §2).
public struct DoubleBuffer: RandomAccessCollection, MutableCollection, Equatable, @unchecked Sendable {
    private final class Storage {
        let base: UnsafeMutablePointer<Double>
        let count: Int
        private let capacity: Int

        init(count: Int) {
            let block = CachingAllocator.shared.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Double>.stride)
            base = block.pointer.bindMemory(to: Double.self, capacity: Swift.max(count, 1))
            capacity = block.capacity
            self.count = count
        }

        deinit { CachingAllocator.shared.release(UnsafeMutableRawPointer(base), capacity: capacity) }
    }

    private var storage: Storage

    /// `count` copies of `value`.
    public init(repeating value: Double, count: Int) {
        storage = Storage(count: count)
        storage.base.initialize(repeating: value, count: count)
    }

    /// The elements of `array`.
    public init(_ array: [Double]) {
        storage = Storage(count: array.count)
        array.withUnsafeBufferPointer { source in
            for i in 0..<array.count { storage.base[i] = source[i] }
        }
    }

    /// `count` elements written by `fill` (which must set every one).
    init(count: Int, fill: (UnsafeMutableBufferPointer<Double>) -> Void) {
        storage = Storage(count: count)
        fill(UnsafeMutableBufferPointer(start: storage.base, count: count))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(index: Int) -> Double {
        get {
            precondition(index >= 0 && index < storage.count, "index \(index) outside 0..<\(storage.count)")
            return storage.base[index]
        }
        set {
            precondition(index >= 0 && index < storage.count, "index \(index) outside 0..<\(storage.count)")
            makeUnique()
            storage.base[index] = newValue
        }
    }

    /// Calls `body` with the elements for reading.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Calls `body` with the elements, so the standard library's algorithms (`firstIndex`, `reduce`,
    /// `Array(_:)`, …) read them without a bounds check per element.
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the elements for writing, copying them first if another buffer shares them.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        makeUnique()
        var buffer = UnsafeMutableBufferPointer(start: storage.base, count: storage.count)
        return try body(&buffer)
    }

    public static func == (lhs: DoubleBuffer, rhs: DoubleBuffer) -> Bool {
        lhs.count == rhs.count && lhs.withUnsafeBufferPointer { l in rhs.withUnsafeBufferPointer { r in l.elementsEqual(r) } }
    }

    private mutating func makeUnique() {
        if isKnownUniquelyReferenced(&storage) { return }
        let copy = Storage(count: storage.count)
        copy.base.update(from: storage.base, count: storage.count)
        storage = copy
    }
}

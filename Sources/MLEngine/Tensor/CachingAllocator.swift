import Foundation

/// A process-wide cache of 64-byte-aligned blocks for tensor storage and oneDNN scratchpads.
///
/// glibc returns large blocks to the OS on `free`, and every reuse then page-faults; on this project's
/// 2-core machines that made PyTorch up to 3.7× slower on single layers. Blocks are rounded up to a size
/// bucket (powers of two split in four), kept on a free list per bucket when released, and handed out
/// again for any request that rounds to the same bucket, so the waste is bounded by 25 %.
public final class CachingAllocator: @unchecked Sendable {
    /// The allocator every tensor uses.
    public static let shared = CachingAllocator()

    private let lock = NSLock()
    private var freeLists: [Int: [UnsafeMutableRawPointer]] = [:]
    private var cachedBytes = 0
    private var systemBlocks = (count: 0, bytes: 0)

    /// Bytes held on free lists, ready for reuse.
    public var cachedByteCount: Int { lock.withLock { cachedBytes } }

    /// Blocks (and their bytes) taken from the system so far, because no cached block fitted.
    public var systemAllocations: (count: Int, bytes: Int) { lock.withLock { systemBlocks } }

    /// Rounds `byteCount` up to its bucket: multiples of 64 bytes below 4 KiB, otherwise the next
    /// quarter-step between powers of two.
    static func bucket(for byteCount: Int) -> Int {
        let bytes = max(byteCount, 64)
        if bytes <= 4096 { return (bytes + 63) & ~63 }
        let high = Int.bitWidth - (bytes - 1).leadingZeroBitCount  // 2^high >= bytes
        let step = 1 << (high - 3)  // quarter of the lower power of two
        return (bytes + step - 1) / step * step
    }

    /// Returns a 64-byte-aligned block of at least `byteCount` bytes.
    public func allocate(byteCount: Int) -> (pointer: UnsafeMutableRawPointer, capacity: Int) {
        let size = Self.bucket(for: byteCount)
        let reused: UnsafeMutableRawPointer? = lock.withLock {
            guard let pointer = freeLists[size]?.popLast() else {
                systemBlocks = (systemBlocks.count + 1, systemBlocks.bytes + size)
                return nil
            }
            cachedBytes -= size
            return pointer
        }
        if let reused { return (reused, size) }
        return (UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64), size)
    }

    /// Returns a block obtained from `allocate(byteCount:)` (with the capacity it reported) to the cache.
    public func release(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        lock.withLock {
            freeLists[capacity, default: []].append(pointer)
            cachedBytes += capacity
        }
    }

    /// Frees every cached block back to the system.
    public func trim() {
        lock.withLock {
            for pointer in freeLists.values.joined() { pointer.deallocate() }
            freeLists.removeAll()
            cachedBytes = 0
        }
    }
}

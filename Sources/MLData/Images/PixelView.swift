/// 4-byte pixels (R, G, B, X) in memory owned elsewhere: `height` rows of `width` pixels, `stride` bytes
/// apart. The fused transform path works on these so its loops can load a pixel as one 32-bit word.
struct PixelView {
    /// Pixel (0, 0). May point outside the memory it views when only some rows and columns are read
    /// (a region of a larger image whose window was computed), never dereferenced there.
    let base: UnsafeMutablePointer<UInt8>
    /// Bytes from one row to the next.
    let stride: Int
    let width: Int
    let height: Int
    /// Keeps the memory alive while the view is (a `PixelScratch`, or nil for memory owned by the caller).
    let owner: AnyObject?

    /// The view of `width × height` pixels whose pixel (0, 0) is this view's (`left`, `top`).
    func offset(left: Int, top: Int, width: Int, height: Int) -> PixelView {
        PixelView(base: base + top * stride + left * 4, stride: stride, width: width, height: height, owner: owner)
    }

    /// The bytes of pixel (`x`, `y`).
    func pixel(x: Int, y: Int) -> UnsafeMutablePointer<UInt8> { base + y * stride + x * 4 }
}

/// A growable 64-byte aligned byte buffer, reused from image to image by one thread. A view of it stays
/// valid until the next `view(width:height:)` call.
final class PixelScratch {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int

    init() {
        capacity = 4096
        storage = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit { storage.deallocate() }

    /// A packed `width × height` view (stride `4 · width`) over this buffer, grown when needed; the
    /// previous contents are lost.
    func view(width: Int, height: Int) -> PixelView {
        let bytes = max(width * height * 4, 1)
        if bytes > capacity {
            storage.deallocate()
            capacity = max(bytes, capacity * 3 / 2)
            storage = .allocate(byteCount: capacity, alignment: 64)
        }
        return PixelView(base: storage.assumingMemoryBound(to: UInt8.self), stride: width * 4, width: width,
                         height: height, owner: self)
    }
}

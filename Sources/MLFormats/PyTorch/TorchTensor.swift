/// A typed storage in a PyTorch archive: the zip entry `data/<key>` holding `count` elements.
struct TorchStorage {
    let dtype: TensorDType
    let key: String
    let count: Int
}

/// A tensor view of a storage (`torch._utils._rebuild_tensor_v2`'s arguments).
struct TorchTensor {
    let storage: TorchStorage
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

extension TorchTensor {
    /// Whether the strides are the row-major strides of the shape.
    var isContiguous: Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() where size != 1 {
            if stride != expected { return false }
            expected *= size
        }
        return true
    }

    /// The storage index (relative to `offset`) of each element in row-major order.
    func relativeIndices() -> [Int] {
        var result = [0]
        for (size, stride) in zip(shape, strides) {
            result = result.flatMap { base in (0..<size).map { base + $0 * stride } }
        }
        return result
    }
}

extension TorchTensor {
    /// What is wrong with this view of a storage whose archive entry holds `storageBytes` bytes (nil: no
    /// such entry), or nil when it is sound: sizes that overflow, a storage shorter than its declared
    /// element count, a view reaching outside its storage, or more elements than the storage holds (an
    /// expanded view, whose decoded size a file could make arbitrarily large).
    func problem(storageBytes: Int?) -> String? {
        guard let storageBytes else { return "storage '\(storage.key)' is missing from the archive" }
        guard let needed = storage.count.checkedTimes(storage.dtype.byteCount), needed <= storageBytes else {
            return "storage '\(storage.key)' has \(storageBytes) bytes, fewer than \(storage.count) \(storage.dtype.rawValue) elements need"
        }
        let view = "view (offset \(offset), shape \(shape), strides \(strides))"
        guard let count = shape.checkedProduct else { return "shape \(shape) has more elements than memory can address" }
        guard count > 0 else { return nil }
        guard offset >= 0, strides.allSatisfy({ $0 >= 0 }) else { return "\(view) has a negative offset or stride" }
        var last: Int? = offset
        for (size, stride) in zip(shape, strides) { last = last.flatMap { (size - 1).checkedTimes(stride)?.checkedPlus($0) } }
        guard let last, last < storage.count else { return "\(view) reaches past its storage of \(storage.count) elements" }
        guard count <= storage.count else {
            return "\(view) has \(count) elements, more than its storage of \(storage.count) (expanded views are not supported; save a contiguous copy)"
        }
        return nil
    }
}

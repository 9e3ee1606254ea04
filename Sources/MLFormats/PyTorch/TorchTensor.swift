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

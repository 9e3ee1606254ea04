import MLEngine
import MLFormats

extension StateDictSource {
    /// The tensor named `name` as a plain Float32 tensor (integers and booleans converted; a scalar has
    /// shape [1]). Throws `StateDictError` for a rank above 5, which `Tensor`'s layouts do not cover, and
    /// for a NaN or infinite value: weights (pretrained, a checkpoint's model, loss or momentum) that would
    /// only make every output NaN are refused by name.
    public func tensor(named name: String) throws -> Tensor {
        let shape = self.shape(of: name) ?? []
        guard shape.count <= 5 else {
            throw StateDictError(source: source, problem: "tensor '\(name)' has rank \(shape.count); at most 5 is supported")
        }
        var tensor = Tensor(shape: shape.isEmpty ? [1] : shape)
        let nonFinite = try tensor.withUnsafeMutableStorage { buffer in
            try decodeFloats(named: name, into: buffer)
            return buffer.firstIndex { !$0.isFinite }.map { ($0, buffer[$0]) }
        }
        if let (index, value) = nonFinite {
            throw StateDictError(source: source, problem: "tensor '\(name)' holds \(value) at element \(index); weights must be finite")
        }
        return tensor
    }
}

extension SafeTensorsFile {
    /// Appends `tensor` (any layout) under `name`, stored as the floating-point `dtype` (rounded to
    /// nearest even for F16 and BF16). Requires a new name and a floating-point dtype.
    public mutating func add(_ tensor: Tensor, named name: String, as dtype: TensorDType = .float32) {
        add(floats: tensor.scalars, shape: tensor.shape, named: name, as: dtype)
    }
}

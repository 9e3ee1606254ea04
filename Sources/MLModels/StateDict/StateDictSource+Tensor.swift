import MLEngine
import MLFormats

extension StateDictSource {
    /// The tensor named `name` as a plain Float32 tensor (integers and booleans converted; a scalar has
    /// shape [1]). Throws `StateDictError` for a rank above 5, which `Tensor`'s layouts do not cover.
    public func tensor(named name: String) throws -> Tensor {
        let shape = self.shape(of: name) ?? []
        guard shape.count <= 5 else {
            throw StateDictError(source: source, problem: "tensor '\(name)' has rank \(shape.count); at most 5 is supported")
        }
        var tensor = Tensor(shape: shape.isEmpty ? [1] : shape)
        try tensor.withUnsafeMutableStorage { try decodeFloats(named: name, into: $0) }
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

extension Tensor {
    /// Entries `range` of the outermost dimension (a slice of a batch), copied into a plain tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(!shape.isEmpty && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) of a tensor of shape \(shape)")
        let width = shape.dropFirst().reduce(1, *)
        let plain = self.plain()
        var result = Tensor(shape: [range.count] + shape.dropFirst(), repeating: 0)
        result.withUnsafeMutableStorage { target in
            plain.withUnsafeStorage { source in
                for i in 0..<(range.count * width) { target[i] = source[range.lowerBound * width + i] }
            }
        }
        return result
    }

    /// `parts` stacked along the outermost dimension (their other dimensions must agree), plain.
    public static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
        guard let first = parts.first else { preconditionFailure("concatenatingRows needs at least one tensor") }
        if parts.count == 1 { return first }
        let inner = Array(first.shape.dropFirst())
        precondition(parts.allSatisfy { Array($0.shape.dropFirst()) == inner }, "rows of different shapes: \(parts.map(\.shape))")
        return Tensor(shape: [parts.map { $0.shape[0] }.reduce(0, +)] + inner, values: parts.flatMap(\.scalars))
    }
}

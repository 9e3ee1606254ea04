import MLEngine

/// Embeddings prepared for `ExactSearch`: contiguous rows (L2-normalised for cosine) and their squared norms.
struct SearchMatrix: @unchecked Sendable {
    let count: Int
    let dimension: Int
    let rows: Tensor
    let squaredNorms: [Float]

    init(_ tensor: Tensor, name: String, normalized: Bool) throws {
        guard tensor.shape.count == 2 else {
            throw EvaluationError(name, "embeddings must be a 2-D (n × d) array, got shape \(tensor.shape)")
        }
        var rows = tensor.plain()
        let (count, dimension) = (tensor.shape[0], tensor.shape[1])
        if let (row, column, value) = rows.withUnsafeStorage({ firstNonFinite($0, columns: dimension) }) {
            throw EvaluationError(name, "embedding \(row) has a non-finite value \(value) at column \(column)")
        }
        var norms = [Float](repeating: 0, count: count)
        rows.withUnsafeMutableStorage { buffer in
            for row in 0..<count {
                let start = row * dimension
                var sum: Float = 0
                for i in start..<(start + dimension) { sum += buffer[i] * buffer[i] }
                if normalized {
                    // As torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
                    let scale = 1 / max(sum.squareRoot(), 1e-12)
                    for i in start..<(start + dimension) { buffer[i] *= scale }
                    sum = 0
                    for i in start..<(start + dimension) { sum += buffer[i] * buffer[i] }
                }
                norms[row] = sum
            }
        }
        self.count = count
        self.dimension = dimension
        self.rows = rows
        self.squaredNorms = norms
    }
}

/// The row, column and value of the first NaN or infinity in a row-major buffer of `columns` columns.
package func firstNonFinite(_ buffer: UnsafeBufferPointer<Float>, columns: Int) -> (Int, Int, Float)? {
    guard let position = buffer.firstIndex(where: { !$0.isFinite }) else { return nil }
    return (position / columns, position % columns, buffer[position])
}

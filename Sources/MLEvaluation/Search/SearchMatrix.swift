import MLEngine

/// Embeddings prepared for `ExactSearch`: contiguous rows (L2-normalised for cosine) and their squared norms.
struct SearchMatrix: @unchecked Sendable {
    let count: Int
    let dimension: Int
    let rows: Tensor
    let squaredNorms: [Float]

    /// The rows of `tensor` (n × d, finite): each L2-normalised when `normalized`, else multiplied by
    /// 2^`exponent` (see `BinaryScale`).
    init(_ tensor: Tensor, name: String, normalized: Bool, exponent: Int = 0) throws {
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
            if !normalized { BinaryScale.scale(buffer, by: exponent) }
            for row in 0..<count {
                let values = UnsafeMutableBufferPointer(rebasing: buffer[(row * dimension)..<((row + 1) * dimension)])
                if normalized { Self.normalize(values) }
                norms[row] = values.reduce(0) { $0 + $1 * $1 }
            }
        }
        self.count = count
        self.dimension = dimension
        self.rows = rows
        self.squaredNorms = norms
    }

    /// Divides `row` by its L2 norm, as torch.nn.functional.normalize: x / max(‖x‖, 1e-12), with the row
    /// first scaled by a power of two to a largest magnitude in [1, 2). That scaling changes no bit of the
    /// result where torch's arithmetic neither overflows nor underflows, and makes a row of 1e30s or
    /// 1e-30s come out as the unit vector it points along (torch gives zeros, or a vector of length 1e-18).
    /// A zero row stays zero.
    static func normalize(_ row: UnsafeMutableBufferPointer<Float>) {
        guard let exponent = BinaryScale.exponent(of: UnsafeBufferPointer(row)) else { return }
        BinaryScale.scale(row, by: -exponent)
        let sum = row.reduce(Float(0)) { $0 + $1 * $1 }
        let scale = 1 / max(sum.squareRoot(), 1e-12)
        for i in row.indices { row[i] *= scale }
    }
}

/// The row, column and value of the first NaN or infinity in a row-major buffer of `columns` columns.
package func firstNonFinite(_ buffer: UnsafeBufferPointer<Float>, columns: Int) -> (Int, Int, Float)? {
    guard let position = buffer.firstIndex(where: { !$0.isFinite }) else { return nil }
    return (position / columns, position % columns, buffer[position])
}

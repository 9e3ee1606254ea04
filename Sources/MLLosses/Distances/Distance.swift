/// A pairwise distance or similarity between embeddings (PML's `BaseDistance`).
///
/// `isInverted` marks similarities (larger means closer). Implementations optionally L2-normalise
/// their inputs first and raise the result to `power`.
public protocol Distance: Sendable {
    /// Whether larger values mean more similar (cosine, dot product).
    var isInverted: Bool { get }
    /// The norm used by `normalize` (PML's `p`).
    var p: Double { get }

    /// The query × reference matrix (reference = query when nil) with its backward.
    func callAsFunction(_ query: Matrix, _ reference: Matrix?) -> DistanceMatrix
}

extension Distance {
    /// PML's `margin(x, y)`: how far `x` lies beyond `y` in the "farther apart" direction.
    public func margin(_ x: Double, _ y: Double) -> Double { isInverted ? y - x : x - y }

    /// The pairwise matrix of a batch with itself.
    public func callAsFunction(_ embeddings: Matrix) -> DistanceMatrix { self(embeddings, nil) }
}

/// A distance matrix and the function that turns dLoss/dMatrix into gradients of its inputs.
public struct DistanceMatrix {
    /// rows = queries, columns = references.
    public let values: Matrix
    /// dLoss/dValues → (dQuery, dReference); for a batch against itself the query gradient holds both
    /// roles and the reference gradient is nil.
    let backward: (Matrix) -> (query: Matrix, reference: Matrix?)

    public subscript(row: Int, column: Int) -> Double { values[row, column] }
}

/// `value^power` and its derivative applied to a matrix (PML's `mat ** power`).
struct PowerTransform {
    let power: Double

    func apply(_ base: Matrix) -> Matrix {
        guard power != 1 else { return base }
        var out = base
        for i in 0..<out.values.count { out.values[i] = base.values[i].power(power) }
        return out
    }

    /// dLoss/dBase from dLoss/dOutput.
    func backward(_ gradient: Matrix, base: Matrix) -> Matrix {
        guard power != 1 else { return gradient }
        var out = gradient
        for i in 0..<out.values.count where out.values[i] != 0 {
            out.values[i] *= power * base.values[i].power(power - 1)
        }
        return out
    }
}

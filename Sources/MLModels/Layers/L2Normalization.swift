import MLEngine

/// Rows of an [N, D] matrix scaled to unit Euclidean norm: y = x / max(‖x‖, ε) (PyTorch's `F.normalize`,
/// ε = 1e-12). No parameters.
public final class L2Normalization: Layer {
    package static let epsilon: Float = 1e-12
    private var output: Tensor?
    private var norms: [Float] = []

    public init() {}

    // x: [N, D] → y: [N, D] plain.
    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        guard x.shape.count == 2 else {
            throw LayerError(layer: "L2Normalization", expected: "[N, D]", actual: x.shape)
        }
        let (rows, columns) = (x.shape[0], x.shape[1])
        let input = x.plain()
        var y = Tensor(shape: x.shape)
        var norms = [Float](repeating: 0, count: rows)
        input.withUnsafeStorage { source in
            y.withUnsafeMutableStorage { target in
                for row in 0..<rows {
                    var sum: Float = 0
                    for j in 0..<columns { sum += source[row * columns + j] * source[row * columns + j] }
                    norms[row] = max(sum.squareRoot(), Self.epsilon)
                    for j in 0..<columns { target[row * columns + j] = source[row * columns + j] / norms[row] }
                }
            }
        }
        self.output = y
        self.norms = norms
        return y
    }

    // dx = (dy − y (y·dy)) / ‖x‖ per row (for rows with ‖x‖ > ε).
    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient, let y = output else { return nil }
        let (rows, columns) = (y.shape[0], y.shape[1])
        let gradient = dy.plain()
        var dx = Tensor(shape: y.shape)
        y.withUnsafeStorage { out in
            gradient.withUnsafeStorage { g in
                dx.withUnsafeMutableStorage { target in
                    for row in 0..<rows {
                        var dot: Float = 0
                        for j in 0..<columns { dot += out[row * columns + j] * g[row * columns + j] }
                        for j in 0..<columns {
                            target[row * columns + j] = (g[row * columns + j] - out[row * columns + j] * dot) / norms[row]
                        }
                    }
                }
            }
        }
        return dx
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }
}

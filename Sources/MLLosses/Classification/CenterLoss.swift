import MLEngine

/// Center loss with learnable centres (DESIGN §5; not in PML): ½ · mean_i ‖z_i − c_{y_i}‖².
/// Parameter: `centers` [classes, d], zero-initialised.
public final class CenterLoss: MetricLoss {
    public let name = "CenterLoss"
    public let classes: Int
    public let embeddingSize: Int
    /// One centre per class [classes, d].
    public let centers: Parameter

    public init(classes: Int, embeddingSize: Int) throws {
        try checkClassCounts(classes: classes, embeddingSize: embeddingSize, loss: name)
        self.classes = classes
        self.embeddingSize = embeddingSize
        centers = Parameter(Tensor(shape: [classes, embeddingSize]))
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [("centers", centers)] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        try checkClassification(x, labels: labels, classes: classes, dimension: embeddingSize, loss: name)
        let (n, d) = (x.rows, x.columns)
        let c = centers.matrix
        var dx = Matrix(rows: n, columns: d)
        var dCenters = Matrix(rows: classes, columns: d)
        var sum = 0.0
        let scale = 1 / Double(n)
        x.values.withUnsafeBufferPointer { x in
            c.values.withUnsafeBufferPointer { c in
                dx.values.withUnsafeMutableBufferPointer { dx in
                    dCenters.values.withUnsafeMutableBufferPointer { dc in
                        for i in 0..<n {
                            // Row slices: the inner loop indexes from 0 without overflow checks.
                            let center = labels[i] * d
                            let (xi, ci) = (UnsafeBufferPointer(rebasing: x[(i * d)..<(i * d + d)]), UnsafeBufferPointer(rebasing: c[center..<(center + d)]))
                            let (dxi, dci) = (UnsafeMutableBufferPointer(rebasing: dx[(i * d)..<(i * d + d)]), UnsafeMutableBufferPointer(rebasing: dc[center..<(center + d)]))
                            for k in 0..<d {
                                let difference = xi[k] - ci[k]
                                sum += difference * difference
                                dxi[k] = difference * scale
                                dci[k] -= difference * scale
                            }
                        }
                    }
                }
            }
        }
        centers.accumulateGradient(dCenters)
        return LossOutput(value: 0.5 * sum / Double(n), gradient: dx)
    }
}

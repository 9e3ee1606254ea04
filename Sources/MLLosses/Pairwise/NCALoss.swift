import MLEngine

/// PML's `NCALoss`: for each sample, −log of the softmax mass (over −distance × `softmaxScale` to the
/// other samples) that falls on samples of its label; the mean over samples that have such mass.
/// Default distance: squared L2 between normalised embeddings.
///
/// A batch without any positive pair has no such sample: PML's mean of nothing is NaN, this loss is 0
/// with a zero gradient.
public final class NCALoss: MetricLoss {
    public let name = "NCALoss"
    public let softmaxScale: Double
    public let distance: any Distance
    public let reducer: any Reducer

    public init(softmaxScale: Double = 1, distance: any Distance = LpDistance(power: 2), reducer: any Reducer = MeanReducer()) {
        self.softmaxScale = softmaxScale
        self.distance = distance
        self.reducer = reducer
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        guard x.rows > 1 else { return .zero(rows: x.rows, columns: x.columns) }
        let matrix = distance(x)
        let (value, dMatrix) = NCA.evaluate(
            matrix.values, queryLabels: labels, referenceLabels: labels, excludesDiagonal: true,
            isInverted: distance.isInverted, scale: softmaxScale,
            weights: MinedIndices.weights(indices, count: x.rows), reducer: reducer)
        return LossOutput(value: value, gradient: matrix.backward(dMatrix).query)
    }
}

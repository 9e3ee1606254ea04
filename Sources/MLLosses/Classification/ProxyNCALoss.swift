import MLEngine

/// PML's `ProxyNCALoss`: NCA between the embeddings and one learnable proxy per class [classes, d],
/// with squared L2 distance between normalised vectors by default.
public final class ProxyNCALoss: MetricLoss {
    public let name = "ProxyNCALoss"
    public let classes: Int
    public let embeddingSize: Int
    public let softmaxScale: Double
    public let distance: any Distance
    /// One proxy per class [classes, d].
    public let proxies: Parameter

    public init(classes: Int, embeddingSize: Int, softmaxScale: Double = 1,
                distance: any Distance = LpDistance(power: 2), seed: UInt64 = 0) throws {
        self.classes = classes
        self.embeddingSize = embeddingSize
        self.softmaxScale = softmaxScale
        self.distance = distance
        proxies = try .classVectors(.rows, classes: classes, embeddingSize: embeddingSize, seed: seed, loss: name)
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [("proxies", proxies)] }

    public func compute(_ x: Matrix, labels: [Int], indices: MinedIndices?, training: Bool) throws -> LossOutput {
        try checkClassification(x, labels: labels, classes: classes, dimension: embeddingSize, loss: name)
        let matrix = distance(x, proxies.matrix)
        let (value, dMatrix) = NCA.evaluate(
            matrix.values, queryLabels: labels, referenceLabels: Array(0..<classes), excludesDiagonal: false,
            isInverted: distance.isInverted, scale: softmaxScale,
            weights: MinedIndices.weights(indices, count: x.rows, anchorsOnly: true), reducer: MeanReducer())
        let (dx, dProxies) = matrix.backward(dMatrix)
        if let dProxies { proxies.accumulateGradient(dProxies) }
        return LossOutput(value: value, gradient: dx)
    }
}

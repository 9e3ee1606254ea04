import MLEvaluation

/// The retrieval metrics of one evaluation split with both distances: `{"cosine": metrics, "l2": metrics}`.
public struct SplitMetrics: Codable, Sendable, Equatable {
    public var cosine: RetrievalMetrics
    public var l2: RetrievalMetrics

    public init(cosine: RetrievalMetrics, l2: RetrievalMetrics) {
        self.cosine = cosine
        self.l2 = l2
    }
}

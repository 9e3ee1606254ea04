/// One evaluation of embeddings: exact kNN, then Recall@K, P@1, R-precision, MAP@R and optionally NMI/AMI.
public struct RetrievalEvaluation: Sendable {
    /// How neighbours are ranked.
    public var distance: SearchDistance
    /// The K of Recall@K.
    public var recallAt: [Int]
    /// Average each metric per class first (PML's `avg_of_avgs`).
    public var averagePerClass: Bool
    /// k-means settings for NMI/AMI on the queries, or nil to skip clustering.
    public var clustering: KMeans.Options?

    /// An evaluation with `distance`, Recall@K for `recallAt`, and no clustering.
    public init(distance: SearchDistance = .cosine, recallAt: [Int] = [1, 2, 4, 8, 16, 32],
                averagePerClass: Bool = false, clustering: KMeans.Options? = nil) {
        self.distance = distance
        self.recallAt = recallAt
        self.averagePerClass = averagePerClass
        self.clustering = clustering
    }

    /// The metrics of `queries` searched against `gallery`, or leave-one-out among `queries` when nil.
    ///
    /// The search keeps max(K, R) neighbours per query so R-precision and MAP@R see every same-label
    /// reference.
    /// - Throws: `EvaluationError` naming the file when a K exceeds the gallery or the dimensions differ.
    public func run(_ queries: LabeledEmbeddings, against gallery: LabeledEmbeddings? = nil) throws -> RetrievalMetrics {
        let galleryLabels = gallery?.labels ?? queries.labels
        var counts: [Int: Int] = [:]
        for label in galleryLabels { counts[label, default: 0] += 1 }
        let largestR = Set(queries.labels).map { counts[$0, default: 0] - (gallery == nil ? 1 : 0) }.max() ?? 0
        let k = max(recallAt.max() ?? 1, largestR, 1)
        let neighbors = try ExactSearch.neighbors(
            queries: queries.values, gallery: gallery?.values, k: k, distance: distance,
            queryName: queries.name, galleryName: gallery?.name ?? queries.name)
        var metrics = RetrievalMetrics(
            neighbors: neighbors, queryLabels: queries.labels, galleryLabels: galleryLabels,
            leaveOneOut: gallery == nil, recallAt: recallAt, averagePerClass: averagePerClass)
        if let clustering {
            let classes = Set(queries.labels).count
            let assignment = KMeans(clusters: classes, options: clustering).fit(queries.values).assignment
            metrics.nmi = MutualInformation.normalized(queries.labels, assignment)
            metrics.ami = MutualInformation.adjusted(queries.labels, assignment)
        }
        return metrics
    }
}

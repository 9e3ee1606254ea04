extension RetrievalMetrics {
    /// Recall@K, P@1, R-precision and MAP@R from each query's nearest gallery items.
    ///
    /// A query with label y has R = (gallery items labelled y) − (1 in leave-one-out) same-label
    /// references. Recall@K counts queries with R = 0 as misses; P@1, R-precision and MAP@R leave them
    /// out, as PML's AccuracyCalculator does (nil when every query is left out).
    ///
    /// - Parameters:
    ///   - neighbors: at least max(`recallAt`) and max R neighbours per query.
    ///   - queryLabels: the queries' labels.
    ///   - galleryLabels: the gallery's labels (the queries' in leave-one-out).
    ///   - leaveOneOut: whether the gallery is the queries themselves, each query excluded from its own list.
    ///   - ks: the K of Recall@K.
    ///   - averagePerClass: average each metric within each query label first, then over labels
    ///     (PML's `avg_of_avgs`).
    public init(
        neighbors: NeighborList, queryLabels: [Int], galleryLabels: [Int], leaveOneOut: Bool,
        recallAt ks: [Int], averagePerClass: Bool = false
    ) {
        precondition(queryLabels.count == neighbors.queryCount,
                     "\(queryLabels.count) query labels for \(neighbors.queryCount) neighbour lists")
        precondition(ks.allSatisfy { $0 >= 1 && $0 <= neighbors.k }, "recall at \(ks) with \(neighbors.k) neighbours")
        self.init()
        var galleryCounts: [Int: Int] = [:]
        for label in galleryLabels { galleryCounts[label, default: 0] += 1 }
        var firstHits: [Int] = []
        var precision = PerQuery(), rPrecision = PerQuery(), averagePrecision = PerQuery()
        for query in 0..<neighbors.queryCount {
            let label = queryLabels[query]
            let row = neighbors.indices(of: query)
            let references = galleryCounts[label, default: 0] - (leaveOneOut ? 1 : 0)
            let firstHit = row.firstIndex { galleryLabels[Int($0)] == label }.map { $0 - row.startIndex }
            firstHits.append(firstHit ?? neighbors.k)
            guard references > 0 else { continue }
            precondition(references <= neighbors.k, "query \(query) has R = \(references) > k = \(neighbors.k)")
            var hits = 0
            var precisionSum = 0.0
            for (rank, index) in row.prefix(references).enumerated() where galleryLabels[Int(index)] == label {
                hits += 1
                precisionSum += Double(hits) / Double(rank + 1)
            }
            precision.append(firstHit == 0 ? 1 : 0, label: label)
            rPrecision.append(Double(hits) / Double(references), label: label)
            averagePrecision.append(precisionSum / Double(references), label: label)
        }
        for k in ks {
            var recall = PerQuery()
            for (query, hit) in firstHits.enumerated() { recall.append(hit < k ? 1 : 0, label: queryLabels[query]) }
            recallAtK[k] = recall.mean(perClass: averagePerClass)
        }
        precisionAt1 = precision.mean(perClass: averagePerClass)
        self.rPrecision = rPrecision.mean(perClass: averagePerClass)
        meanAveragePrecisionAtR = averagePrecision.mean(perClass: averagePerClass)
    }
}

/// Per-query values of one metric with the query labels, averaged overall or per class.
private struct PerQuery {
    private var values: [Double] = []
    private var labels: [Int] = []

    mutating func append(_ value: Double, label: Int) {
        values.append(value)
        labels.append(label)
    }

    /// The mean over queries, or the mean over labels of each label's mean; nil without queries.
    func mean(perClass: Bool) -> Double? {
        guard !values.isEmpty else { return nil }
        guard perClass else { return values.reduce(0, +) / Double(values.count) }
        var sums: [Int: (Double, Int)] = [:]
        for (value, label) in zip(values, labels) {
            let (sum, count) = sums[label, default: (0, 0)]
            sums[label] = (sum + value, count + 1)
        }
        let means = sums.sorted { $0.key < $1.key }.map { $0.value.0 / Double($0.value.1) }
        return means.reduce(0, +) / Double(means.count)
    }
}

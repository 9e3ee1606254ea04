import Foundation
import MLData
import MLEngine
import MLEvaluation

/// `retrieval.json`: a few test queries with their nearest gallery items (cosine), written at a run's
/// final evaluation for `dml report`'s gallery. Indices refer to the evaluation splits.
public struct RetrievalExamples: Codable, Sendable, Equatable {
    /// One query and its neighbours, nearest first.
    public struct Query: Codable, Sendable, Equatable {
        public var index: Int
        public var label: Int
        public var path: String
        public var neighbors: [Neighbor]
    }

    /// A retrieved item: its index in the gallery split, label, path, cosine similarity and whether it
    /// shares the query's label.
    public struct Neighbor: Codable, Sendable, Equatable {
        public var index: Int
        public var label: Int
        public var path: String
        public var similarity: Double
        public var correct: Bool
    }

    /// The split the queries come from, and the one searched ("test" for both in leave-one-out).
    public var querySplit: String
    public var gallerySplit: String
    public var queries: [Query]

    enum CodingKeys: String, CodingKey {
        case queries
        case querySplit = "query_split"
        case gallerySplit = "gallery_split"
    }

    /// `count` queries evenly spread over `queries` with their `k` nearest items of `gallery` (of the
    /// other `queries` in leave-one-out, the query itself excluded).
    init(queries: LabeledEmbeddings, querySplit: DatasetSplit, gallery: LabeledEmbeddings?, gallerySplit: DatasetSplit?,
         count: Int = 8, k: Int = 5) throws {
        let searched = gallery ?? queries
        let searchedSplit = gallerySplit ?? querySplit
        let chosen = (0..<min(count, queries.count)).map { $0 * queries.count / min(count, queries.count) }
        let rows = Tensor(shape: [chosen.count, queries.dimension], values: chosen.flatMap { row in
            queries.values.scalars[(row * queries.dimension)..<((row + 1) * queries.dimension)]
        })
        let extra = gallery == nil ? 1 : 0
        let neighbors = try ExactSearch.neighbors(queries: rows, gallery: searched.values,
                                                  k: min(k + extra, searched.count), distance: .cosine)
        self.querySplit = querySplit.name
        self.gallerySplit = searchedSplit.name
        self.queries = chosen.enumerated().map { number, query in
            let label = queries.labels[query]
            let found = zip(neighbors.indices(of: number), neighbors.values[(number * neighbors.k)...])
                .filter { gallery != nil || Int($0.0) != query }.prefix(k)
            return Query(index: query, label: label, path: querySplit.describe(query), neighbors: found.map { index, value in
                let item = Int(index)
                return Neighbor(index: item, label: searched.labels[item], path: searchedSplit.describe(item),
                                similarity: Double(value), correct: searched.labels[item] == label)
            })
        }
    }
}

/// The k nearest gallery items of each query, nearest first.
public struct NeighborList: Sendable {
    /// The number of queries (rows).
    public let queryCount: Int
    /// Neighbours per query.
    public let k: Int
    /// Gallery indices, queryCount × k row-major.
    public let indices: [Int32]
    /// The matching similarities (cosine, dot) or squared distances (l2), queryCount × k row-major.
    public let values: [Float]

    /// A list of `k` neighbours for each of `queryCount` queries.
    public init(queryCount: Int, k: Int, indices: [Int32], values: [Float]) {
        precondition(indices.count == queryCount * k && values.count == queryCount * k,
                     "neighbour list of \(queryCount) × \(k) with \(indices.count) indices, \(values.count) values")
        self.queryCount = queryCount
        self.k = k
        self.indices = indices
        self.values = values
    }

    /// The neighbours of `query`, nearest first.
    public func indices(of query: Int) -> ArraySlice<Int32> { indices[query * k ..< (query + 1) * k] }
}

/// One item found for a query: its id and its score (a similarity for cosine and dot, a squared
/// distance for l2, as `ExactSearch` reports them).
public struct SearchHit: Sendable, Equatable, Codable {
    public let id: Int
    public let score: Float

    public init(id: Int, score: Float) {
        self.id = id
        self.score = score
    }

    /// Higher similarity first, then the lower id.
    func ranksBefore(bySimilarity other: SearchHit) -> Bool {
        score != other.score ? score > other.score : id < other.id
    }

    /// Smaller distance first, then the lower id.
    func ranksBefore(byDistance other: SearchHit) -> Bool {
        score != other.score ? score < other.score : id < other.id
    }
}

import MLIndex

/// One gallery item as the JSON answers show it.
public struct ItemDescription: Codable, Sendable, Equatable {
    public let id: Int
    public let label: Int
    /// The class name (the dataset's, or "class N").
    public let className: String
    /// Similarity (cosine, dot) or squared distance (l2); absent for the query item itself.
    public let score: Float?
    /// Where its image is served, or nil when it has none.
    public let image: String?

    enum CodingKeys: String, CodingKey {
        case id, label, score, image
        case className = "class"
    }
}

/// `POST /search…`'s answer.
public struct SearchResponse: Codable, Sendable {
    /// The gallery item searched for (`/search/item/{id}`), else nil.
    public let query: ItemDescription?
    public let k: Int
    public let kind: IndexKind
    /// "cosine", "l2" (scores are squared distances, smaller is nearer) or "dot".
    public let distance: String
    /// Milliseconds from receiving the request to answering it.
    public let tookMs: Double
    /// Searches that ran in the same model forward.
    public let batchSize: Int
    public let items: [ItemDescription]

    enum CodingKeys: String, CodingKey {
        case query, k, kind, distance, items
        case tookMs = "took_ms"
        case batchSize = "batch_size"
    }
}

/// `GET /info`'s answer: what the page shows about the index.
public struct IndexInfo: Codable, Sendable {
    public let kind: IndexKind
    public let distance: String
    public let count: Int
    public let dimension: Int
    public let classes: [String]
    public let model: ModelIdentity
    public let maxK: Int
    /// Whether items have images to show.
    public let images: Bool
    /// The image size the model sees, for the page's preview.
    public let imageSize: Int

    enum CodingKeys: String, CodingKey {
        case kind, distance, count, dimension, classes, model, images
        case maxK = "max_k"
        case imageSize = "image_size"
    }
}

/// HNSW's build and search parameters (hnswlib's names).
public struct HNSWParameters: Codable, Sendable, Equatable {
    /// Links per node (2 × m on the bottom layer).
    public var m: Int
    /// Candidates kept while inserting.
    public var efConstruction: Int
    /// Candidates kept while searching (at least k).
    public var efSearch: Int

    public init(m: Int = 32, efConstruction: Int = 200, efSearch: Int = 96) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }

    enum CodingKeys: String, CodingKey {
        case m
        case efConstruction = "ef_construction"
        case efSearch = "ef_search"
    }
}

/// IVF-flat's build and search parameters (faiss's names).
public struct IVFParameters: Codable, Sendable, Equatable {
    /// Inverted lists (k-means cells).
    public var lists: Int
    /// Lists scanned per query.
    public var probes: Int

    public init(lists: Int, probes: Int) {
        self.lists = lists
        self.probes = probes
    }

    /// √n lists (at least 1, at most 4,096) and the probes that reached recall@10 ≥ 0.95 in
    /// docs/serving.md's measurements (1/16 of the lists, at least 8).
    public static func defaults(count: Int) -> IVFParameters {
        let lists = min(4096, max(1, Int(Double(count).squareRoot().rounded())))
        return IVFParameters(lists: lists, probes: min(lists, max(8, lists / 16)))
    }

    /// Vectors the k-means of the lists trains on: 64 per list (faiss warns below 39).
    public var trainingPoints: Int { 64 * lists }
}

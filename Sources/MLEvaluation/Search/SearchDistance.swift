/// How the exact nearest-neighbour search ranks gallery items for a query.
///
/// Every distance is turned into a score where larger is nearer, so one search serves all three:
/// - `cosine`: the inner product of L2-normalised embeddings (cosine similarity; L2 on normalised
///   features ranks the same). Reported values are similarities in [-1, 1].
/// - `dot`: the raw inner product. Reported values are inner products (faiss `IndexFlatIP`).
/// - `l2`: Euclidean distance, ranked by `2 q·x − ‖x‖²`. Reported values are squared distances
///   `‖q − x‖²`, clamped at 0 (faiss `IndexFlatL2`).
public enum SearchDistance: String, CaseIterable, Sendable, Codable {
    case cosine
    case l2
    case dot

    /// Whether larger reported values mean nearer (similarities) rather than farther (distances).
    public var isSimilarity: Bool { self != .l2 }
}

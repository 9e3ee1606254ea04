/// How an index finds neighbours.
public enum IndexKind: String, Codable, CaseIterable, Sendable {
    /// Every item scored (MLEvaluation's `ExactSearch`): the reference, linear in the gallery size.
    case exact
    /// A hierarchical navigable small-world graph (hnswlib): approximate, logarithmic.
    case hnsw
    /// Inverted lists over k-means cells (faiss IndexIVFFlat): approximate, scans `probes` of `lists` cells.
    case ivf
}

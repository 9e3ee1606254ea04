import MLEngine

/// Exact k-nearest-neighbour search on the CPU: blocked sgemm plus a per-row top-k selection.
///
/// Scores for a block of queries against a block of gallery items come from one oneDNN sgemm into a
/// `blockSize` × `blockSize` scratch matrix; each query's `CandidateBuffers` row takes the block's scores
/// above its threshold. Memory stays at the embeddings, one block and queries × ~2k candidates — never
/// the full score matrix.
///
/// Leave-one-out (no gallery): every embedding is a query against all the others, excluded by index.
/// Scores are symmetric there, so only blocks on or above the diagonal are multiplied and each
/// off-diagonal block feeds its rows' lists (row by row) and its columns' lists (column by column) at
/// once — half the arithmetic of a plain search, with both sides selected in parallel.
///
/// Ties (DESIGN §5): scores within 1e-6 of the query's score scale count as equal and go to the lower
/// index. The scale bounds the magnitude of the query's scores — 1 for cosine, ‖q‖·max‖x‖ for dot,
/// ‖q‖² + max‖x‖² for l2 — so rounding differences of the float32 products (which scale with the
/// operands, not with the result) cannot reorder neighbours. Results do not depend on the block size.
public enum ExactSearch {
    /// Rows and columns of the score block computed per sgemm.
    public static let defaultBlockSize = 1024

    /// The `k` nearest neighbours of each query, nearest first.
    ///
    /// - Parameters:
    ///   - queries: n × d embeddings.
    ///   - gallery: m × d embeddings to search, or nil for leave-one-out among `queries`.
    ///   - k: neighbours per query, at most m (n − 1 for leave-one-out).
    ///   - distance: cosine, dot product or squared L2.
    ///   - queryName: the queries' name in error messages (e.g. a file path).
    ///   - galleryName: the gallery's name in error messages.
    ///   - blockSize: rows and columns of the score block computed per sgemm (results do not depend on it).
    /// - Throws: `EvaluationError` for non-finite values, mismatched dimensions, or k out of range.
    /// - Complexity: O(n·m·d) arithmetic (half for leave-one-out), O((n + m)·d + n·k) memory.
    public static func neighbors(
        queries: Tensor, gallery: Tensor? = nil, k: Int, distance: SearchDistance,
        queryName: String = "queries", galleryName: String = "gallery", blockSize: Int = defaultBlockSize
    ) throws -> NeighborList {
        let scale = Scale(distance, queries: queries.plain(), gallery: gallery?.plain())
        let queryMatrix = try SearchMatrix(queries, name: queryName, normalized: distance == .cosine, exponent: scale.queries)
        let galleryMatrix = try gallery.map {
            try SearchMatrix($0, name: galleryName, normalized: distance == .cosine, exponent: scale.gallery)
        }
        return try search(queryMatrix, galleryMatrix, k: k, distance: distance, queryName: queryName,
                          galleryName: galleryName, blockSize: blockSize, valueExponent: scale.values)
    }

    /// The `k` nearest items of a prepared `gallery` for each query, nearest first: the same lists as
    /// `neighbors(queries:gallery:…)` with the gallery's tensor and distance, without preparing (copying,
    /// normalising) the gallery again. For services that search one gallery many times. The embeddings are
    /// searched as they are, not rescaled by powers of two: values near float32's range (above about 1e18
    /// or below 1e-18) can overflow or underflow the products here, unlike in a plain search.
    ///
    /// - Throws: `EvaluationError` for non-finite queries, mismatched dimensions, or k out of range.
    public static func neighbors(queries: Tensor, in gallery: Gallery, k: Int, queryName: String = "queries",
                                 blockSize: Int = defaultBlockSize) throws -> NeighborList {
        let queryMatrix = try SearchMatrix(queries, name: queryName, normalized: gallery.distance == .cosine)
        return try search(queryMatrix, gallery.matrix, k: k, distance: gallery.distance, queryName: queryName,
                          galleryName: gallery.name, blockSize: blockSize)
    }

    /// Checks `k` and the dimensions, then runs the blocked search (leave-one-out when `gallery` is nil).
    private static func search(_ queryMatrix: SearchMatrix, _ gallery: SearchMatrix?, k: Int, distance: SearchDistance,
                               queryName: String, galleryName: String, blockSize: Int,
                               valueExponent: Int = 0) throws -> NeighborList {
        precondition(blockSize >= 1, "block size \(blockSize)")
        let galleryMatrix = gallery ?? queryMatrix
        let leaveOneOut = gallery == nil
        guard galleryMatrix.dimension == queryMatrix.dimension else {
            throw EvaluationError(galleryName, "embeddings have dimension \(galleryMatrix.dimension), "
                + "but \(queryName) has \(queryMatrix.dimension)")
        }
        let candidates = leaveOneOut ? queryMatrix.count - 1 : galleryMatrix.count
        guard k >= 1 && k <= candidates else {
            let source = leaveOneOut ? queryName : galleryName
            throw EvaluationError(source, "k = \(k) is out of range: "
                + (leaveOneOut ? "leave-one-out over \(queryMatrix.count) embeddings has \(candidates) "
                    + "neighbours per query" : "the gallery has \(candidates) embeddings"))
        }
        let search = BlockedSearch(
            queries: queryMatrix, gallery: galleryMatrix, k: k, distance: distance,
            candidatesPerQuery: candidates, blockSize: blockSize, valueExponent: valueExponent)
        if leaveOneOut { search.runSymmetric() } else { search.runAgainstGallery() }
        return search.finish()
    }
}

extension ExactSearch {
    /// The powers of two the embeddings are searched at (`BinaryScale`): dot products rank the same for a
    /// positive multiple of the queries and one of the gallery, L2 distances for one multiple of both;
    /// cosine normalises each row itself. `values` undoes the scaling of the reported values.
    struct Scale {
        var queries = 0, gallery = 0, values = 0

        init(_ distance: SearchDistance, queries: Tensor, gallery: Tensor?) {
            let queryExponent = BinaryScale.exponent(of: queries) ?? 0
            let galleryExponent = gallery.map { BinaryScale.exponent(of: $0) ?? 0 } ?? queryExponent
            switch distance {
            case .cosine:
                break
            case .dot:
                (self.queries, self.gallery) = (-queryExponent, -galleryExponent)
                values = queryExponent + galleryExponent
            case .l2:
                let common = max(queryExponent, galleryExponent)
                (self.queries, self.gallery, values) = (-common, -common, 2 * common)
            }
        }
    }
}

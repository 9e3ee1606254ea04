import MLEngine

extension ExactSearch {
    /// A gallery prepared once for many searches: its rows copied contiguous (L2-normalised for cosine)
    /// with their squared norms, as every `neighbors(queries:gallery:…)` call prepares them.
    public struct Gallery: Sendable {
        let matrix: SearchMatrix
        /// How the gallery is searched.
        public let distance: SearchDistance
        /// The name errors use for the gallery.
        public let name: String

        /// Prepares `embeddings` (m × d) for searches by `distance`.
        /// - Throws: `EvaluationError` naming `name` for a tensor that is not 2-D or holds NaN or infinity.
        public init(_ embeddings: Tensor, distance: SearchDistance, name: String = "gallery") throws {
            matrix = try SearchMatrix(embeddings, name: name, normalized: distance == .cosine)
            self.distance = distance
            self.name = name
        }

        /// The number of items.
        public var count: Int { matrix.count }
        /// The embedding size.
        public var dimension: Int { matrix.dimension }
    }
}

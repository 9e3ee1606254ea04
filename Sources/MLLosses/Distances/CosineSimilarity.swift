/// The cosine similarity: the dot product of L2-normalised embeddings (PML's `CosineSimilarity`).
public struct CosineSimilarity: Distance {
    private let base: DotProductSimilarity
    public var power: Double { base.power }
    public var p: Double { 2 }
    public var isInverted: Bool { true }

    public init(power: Double = 1) { base = DotProductSimilarity(normalizesEmbeddings: true, power: power) }

    public func callAsFunction(_ query: Matrix, _ reference: Matrix?) -> DistanceMatrix { base(query, reference) }
}

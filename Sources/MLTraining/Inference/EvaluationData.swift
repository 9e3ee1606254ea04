import Foundation
import MLData
import MLEvaluation
import MLModels

/// The images a model is evaluated on — a dataset's test classes: leave-one-out within `test`, or `query`
/// against `gallery` (In-Shop) — and the embedder that runs the model on them (the test transform, the
/// evaluation batch size, loader threads). The trainer, `Checkpoint.evaluate`, `dml eval` and `dml embed`
/// use it; it builds no sampler and no training loader.
public struct EvaluationData {
    /// The query split (also the gallery for leave-one-out).
    public let queries: DatasetSplit
    /// The gallery split, or nil for leave-one-out.
    public let gallery: DatasetSplit?
    /// Embeds a split with the model.
    public let embedder: Embedder

    /// The test classes of `dataset`, embedded by `embedder`.
    public init(_ dataset: Dataset, embedder: Embedder) throws {
        if dataset.splits.contains(where: { $0.name == "query" }) {
            queries = try dataset.split("query")
            gallery = try dataset.split("gallery")
        } else {
            queries = try dataset.split("test")
            gallery = nil
        }
        self.embedder = embedder
    }

    /// What `evaluate` measured: cosine and L2 metrics on the test classes, on the validation classes
    /// when given, and the retrieval examples when asked.
    public struct Evaluation {
        public var cosine: RetrievalMetrics
        public var l2: RetrievalMetrics
        public var validation: SplitMetrics?
        public var examples: RetrievalExamples?
    }

    /// The model's metrics on the test classes at `recallAt` (and on `validation`, leave-one-out, when
    /// given), with `examples` a few test queries with their neighbours for the report.
    public func evaluate(recallAt: [Int], validation: DatasetSplit? = nil, examples: Bool = false) throws -> Evaluation {
        // Embedding in this process returns every split's embeddings, so there is always a result.
        try evaluate(recallAt: recallAt, validation: validation, examples: examples) { try embedder.embed($0) }!
    }

    /// `evaluate` with the splits embedded by the processes of `processes` together; the metrics on
    /// rank 0, nil on the others (which only embed their shards). Every process must call it.
    public func evaluate(recallAt: [Int], validation: DatasetSplit? = nil, examples: Bool = false,
                         sharedWith processes: any ProcessGroup) throws -> Evaluation? {
        try evaluate(recallAt: recallAt, validation: validation, examples: examples) { try processes.embed($0, with: embedder) }
    }

    /// The metrics of the embeddings `embed` returns for each split (nil when this process gets none).
    private func evaluate(recallAt: [Int], validation: DatasetSplit?, examples: Bool,
                          embed: (DatasetSplit) throws -> LabeledEmbeddings?) throws -> Evaluation? {
        func metrics(_ queries: LabeledEmbeddings, _ gallery: LabeledEmbeddings?) throws -> SplitMetrics {
            SplitMetrics(cosine: try RetrievalEvaluation(distance: .cosine, recallAt: recallAt).run(queries, against: gallery),
                         l2: try RetrievalEvaluation(distance: .l2, recallAt: recallAt).run(queries, against: gallery))
        }
        // Every split is embedded before any return: embedding may be a collective.
        let queryEmbeddings = try embed(queries)
        let galleryEmbeddings = try gallery.flatMap { try embed($0) }
        let validationEmbeddings = try validation.flatMap { try embed($0) }
        guard let queryEmbeddings else { return nil }
        let test = try metrics(queryEmbeddings, galleryEmbeddings)
        let held = try validationEmbeddings.map { try metrics($0, nil) }
        let retrieval = examples ? try RetrievalExamples(queries: queryEmbeddings, querySplit: queries,
                                                         gallery: galleryEmbeddings, gallerySplit: gallery) : nil
        return Evaluation(cosine: test.cosine, l2: test.l2, validation: held, examples: retrieval)
    }
}

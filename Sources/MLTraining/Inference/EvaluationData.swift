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
        func metrics(_ queries: LabeledEmbeddings, _ gallery: LabeledEmbeddings?) throws -> SplitMetrics {
            SplitMetrics(cosine: try RetrievalEvaluation(distance: .cosine, recallAt: recallAt).run(queries, against: gallery),
                         l2: try RetrievalEvaluation(distance: .l2, recallAt: recallAt).run(queries, against: gallery))
        }
        let queryEmbeddings = try embedder.embed(queries)
        let galleryEmbeddings = try gallery.map { try embedder.embed($0) }
        let test = try metrics(queryEmbeddings, galleryEmbeddings)
        let held = try validation.map { try metrics(embedder.embed($0), nil) }
        let retrieval = examples ? try RetrievalExamples(queries: queryEmbeddings, querySplit: queries,
                                                         gallery: galleryEmbeddings, gallerySplit: gallery) : nil
        return Evaluation(cosine: test.cosine, l2: test.l2, validation: held, examples: retrieval)
    }
}

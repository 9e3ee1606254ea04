import Foundation
import MLData
import MLEngine
import MLEvaluation

extension Checkpoint {
    /// Evaluates this checkpoint's model on the test classes of the dataset at `dataPath` (default: the
    /// run's), with cosine and L2 distances and the run's Recall@K (or `recallAt`), exactly as training
    /// evaluated it, with `workers` loader threads (nil: the run's setting). Only the evaluation splits are
    /// used: no sampler or training loader is built. The model runs in `precision` (nil: the run's). Throws
    /// naming a missing dataset file or a bad image, or `PrecisionError` for a precision this CPU lacks.
    public func evaluate(dataPath: String? = nil, recallAt: [Int]? = nil, workers: Int? = nil,
                         precision: Precision? = nil) throws -> (cosine: RetrievalMetrics, l2: RetrievalMetrics) {
        let data = try evaluationData(dataPath: dataPath, workers: workers, precision: precision)
        let result = try data.evaluate(recallAt: recallAt ?? configuration.recallK)
        return (result.cosine, result.l2)
    }

    /// The test classes of the dataset at `dataPath` (default: the run's) with this checkpoint's embedder
    /// and `workers` loader threads (nil: the run's setting), the model in `precision` (nil: the run's), as
    /// `evaluate` uses them.
    public func evaluationData(dataPath: String? = nil, workers: Int? = nil, precision: Precision? = nil) throws -> EvaluationData {
        let dataset = try Dataset.load(configuration.dataset, at: URL(fileURLWithPath: dataPath ?? configuration.dataPath))
        return try EvaluationData(dataset, embedder: makeEmbedder(workers: workers, precision: precision))
    }

    /// An embedder of this checkpoint's model with its test transform and evaluation batch size, and
    /// `workers` loader threads (nil: the run's setting), the model in `precision` (nil: the run's).
    public func makeEmbedder(workers: Int? = nil, precision: Precision? = nil) throws -> Embedder {
        Embedder(model: try makeModel(precision: precision), configuration: configuration, workers: workers)
    }
}

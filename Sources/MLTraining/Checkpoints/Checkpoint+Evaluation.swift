import Foundation
import MLEvaluation

extension Checkpoint {
    /// Evaluates this checkpoint's model on the test classes of the dataset at `dataPath` (default: the
    /// run's), with cosine and L2 distances and the run's Recall@K (or `recallAt`), exactly as training
    /// evaluated it. Throws naming a missing dataset file or a bad image.
    public func evaluate(dataPath: String? = nil, recallAt: [Int]? = nil,
                         workers: Int? = nil) throws -> (cosine: RetrievalMetrics, l2: RetrievalMetrics) {
        var configuration = self.configuration
        if let dataPath { configuration.dataPath = dataPath }
        if let workers { configuration.workers = workers }
        let data = try TrainingData(configuration)
        let result = try data.evaluate(makeModel(), recallAt: recallAt ?? configuration.recallK)
        return (result.cosine, result.l2)
    }
}

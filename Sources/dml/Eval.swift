import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

/// `dml eval`: all retrieval metrics of a checkpoint on a dataset's test classes. Under `mpirun` each rank
/// embeds a shard of the images and rank 0 computes and prints the metrics.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a checkpoint: Recall@K, P@1, R-precision and MAP@R with cosine and L2 distances.")

    @OptionGroup var input: CheckpointOptions
    @Flag(help: "Print DESIGN §6 JSON: {\"cosine\": metrics, \"l2\": metrics}.")
    var json = false

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        try ParallelRun.run { world in
            let saved = try input.read()
            let data = try saved.evaluationData(dataPath: input.data, workers: input.workers, precision: input.precision)
            let recallAt = saved.configuration.recallK
            let evaluation = try world.map { try data.evaluate(recallAt: recallAt, sharedWith: MPIProcessGroup($0)) }
                ?? data.evaluate(recallAt: recallAt)
            guard let evaluation else { return }
            report(saved, evaluation.cosine, evaluation.l2)
        }
    }

    /// Prints the metrics as JSON or as text.
    private func report(_ saved: Checkpoint, _ cosine: RetrievalMetrics, _ l2: RetrievalMetrics) {
        if json {
            print("{\"cosine\": \(cosine.jsonText), \"l2\": \(l2.jsonText)}")
        } else {
            print("\(input.checkpoint) (epoch \(saved.state.epoch), \(saved.model.arch.rawValue), \(saved.configuration.preset))")
            for (name, metrics) in [("cosine", cosine), ("L2", l2)] {
                let recalls = metrics.recallAtK.keys.sorted().map { String(format: "R@%d %.4f", $0, metrics.recallAtK[$0] ?? 0) }
                print("\(name): " + recalls.joined(separator: "  "))
                print(String(format: "  P@1 %.4f  R-precision %.4f  MAP@R %.4f", metrics.precisionAt1 ?? .nan,
                             metrics.rPrecision ?? .nan, metrics.meanAveragePrecisionAtR ?? .nan))
            }
        }
    }
}

import ArgumentParser
import Foundation
import MetricLearning

/// `dml eval`: all retrieval metrics of a checkpoint on a dataset's test classes.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a checkpoint: Recall@K, P@1, R-precision and MAP@R with cosine and L2 distances.")

    @OptionGroup var input: CheckpointOptions
    @Flag(help: "Print DESIGN §6 JSON: {\"cosine\": metrics, \"l2\": metrics}.")
    var json = false

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let saved = try input.read()
        let (cosine, l2) = try saved.evaluate(dataPath: input.data, workers: input.workers, precision: input.precision)
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

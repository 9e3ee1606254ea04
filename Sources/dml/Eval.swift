import ArgumentParser
import Foundation
import MetricLearning

/// `dml eval`: all retrieval metrics of a checkpoint on a dataset's test classes.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a checkpoint: Recall@K, P@1, R-precision and MAP@R with cosine and L2 distances.")

    @Option(help: "A checkpoint written by dml train (last.safetensors or best.safetensors).")
    var checkpoint: String
    @Option(help: "Dataset root (default: the one the run trained on).")
    var data: String?
    @Option(help: "Data-loading threads (0: automatic).")
    var workers: Int?
    @Flag(help: "Print DESIGN §6 JSON: {\"cosine\": metrics, \"l2\": metrics}.")
    var json = false

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
        let (cosine, l2) = try saved.evaluate(dataPath: data, workers: workers)
        if json {
            print("{\"cosine\": \(cosine.jsonText), \"l2\": \(l2.jsonText)}")
        } else {
            print("\(checkpoint) (epoch \(saved.state.epoch), \(saved.configuration.arch), \(saved.configuration.preset))")
            for (name, metrics) in [("cosine", cosine), ("L2", l2)] {
                let recalls = metrics.recallAtK.keys.sorted().map { String(format: "R@%d %.4f", $0, metrics.recallAtK[$0] ?? 0) }
                print("\(name): " + recalls.joined(separator: "  "))
                print(String(format: "  P@1 %.4f  R-precision %.4f  MAP@R %.4f", metrics.precisionAt1 ?? .nan,
                             metrics.rPrecision ?? .nan, metrics.meanAveragePrecisionAtR ?? .nan))
            }
        }
    }
}

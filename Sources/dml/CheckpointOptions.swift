import ArgumentParser
import Foundation
import MetricLearning

/// A checkpoint and the dataset to run it on, shared by `dml eval` and `dml embed`.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "A checkpoint written by dml train (last.safetensors or best.safetensors).")
    var checkpoint: String
    @Option(help: "Dataset root (default: the one the run trained on).")
    var data: String?
    @Option(help: "Data-loading threads (0: automatic).")
    var workers: Int?
    @Option(help: "Arithmetic of the model: fp32 or bf16 (default: the precision the run trained in).")
    var precision: Precision?

    /// The checkpoint file read.
    func read() throws -> Checkpoint {
        try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
    }

}

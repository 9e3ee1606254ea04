import Foundation
import MLFormats
import MLModels
import MLTraining

/// The data-parallel equality the tests prove: `processes` processes with global batch 20 against one
/// process with `--accumulate 2` and batch 10, on the tiny Fashion-MNIST (100 training images: 5 steps per
/// epoch), one epoch, seed 7, lr 0.01 constant; with the preset's settings, or in the paper presets'
/// regime (`--dropout 0.5 --set-bn-eval`).
package enum DataParallelRun {
    /// The configuration of one side: 2 processes at batch 20, or 1 process at batch 10 accumulating 2.
    package static func configuration(data: URL, processes: Int, paperRegime: Bool) throws -> TrainingConfiguration {
        var options = TrainingOptions()
        options.data = data.path
        options.epochs = 1
        options.batchSize = processes == 1 ? 10 : 20
        options.accumulate = processes == 1 ? 2 : nil
        options.processes = processes
        options.lr = 0.01
        options.schedule = .constant
        options.logEvery = 1
        options.workers = 1
        options.seed = 7
        if paperRegime {
            options.dropout = 0.5
            options.batchNormFrozen = true
        }
        return try TrainingConfiguration(preset: .fashionMNIST, options: options)
    }

    /// The arguments of `dml train` for the same runs (the command-level tests).
    package static func arguments(data: URL, processes: Int, paperRegime: Bool) -> [String] {
        ["train", "--data", data.path, "--epochs", "1", "--lr", "0.01", "--schedule", "constant", "--log-every", "1",
         "--workers", "1", "--seed", "7"]
            + (processes == 1 ? ["--batch-size", "10", "--accumulate", "2"] : ["--batch-size", "20"])
            + (paperRegime ? ["--dropout", "0.5", "--set-bn-eval"] : [])
    }

    /// A trainer's whole state as a checkpoint holds it: the model's state dict (running statistics
    /// included), the loss's parameters (`loss.*`) and the momentum buffers (`optimizer.*`).
    package static func state(of trainer: Trainer) -> SafeTensorsFile {
        var file = SafeTensorsFile(stateDictOf: trainer.model)
        for (name, parameter) in trainer.step.criterion.namedParameters { file.add(parameter.value, named: "loss." + name) }
        for (name, buffer) in trainer.step.optimizer.momentumBuffers.sorted(by: { $0.key < $1.key }) {
            file.add(buffer, named: "optimizer." + name)
        }
        return file
    }

    /// Whether `name` is a batch-norm running statistic (which differs from `--accumulate`'s by design).
    package static func isRunningStatistic(_ name: String) -> Bool { name.contains(".running_") }
}

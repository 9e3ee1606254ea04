import ArgumentParser
import MetricLearning

/// The options of `dml train` that change how a run executes but not what it computes; a resumed run may
/// change them.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Threads for the arithmetic (0: all cores).")
    var threads: Int?
    @Option(help: "Data-loading threads (0: automatic).")
    var workers: Int?
    @Option(help: "Iterations between training-log lines.")
    var logEvery: Int?
    @Option(help: "Iterations between `last` checkpoints within an epoch.")
    var checkpointEvery: Int?

    /// The given options applied to a new run's `options`.
    func apply(to options: inout TrainingOptions) {
        options.threads = threads
        options.workers = workers
        options.logEvery = logEvery
        options.checkpointEvery = checkpointEvery
    }

    /// The given options applied to a resumed run's saved `configuration`.
    func apply(to configuration: inout TrainingConfiguration) {
        if let threads { configuration.threads = threads }
        if let workers { configuration.workers = workers }
        if let logEvery { configuration.logEvery = logEvery }
        if let checkpointEvery { configuration.checkpointEvery = checkpointEvery }
    }
}

import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

/// `dml train`: trains an embedding model with a preset's recipe, evaluating as it goes.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an embedding model (DESIGN §3 recipe) and evaluate Recall@K.",
        discussion: "Presets: \(Preset.all.map(\.name).joined(separator: ", ")). Options override the preset.")

    @Option(help: "Recipe: \(Preset.all.map(\.name).joined(separator: ", ")) (default: fashion-mnist).")
    var preset: String?
    @OptionGroup(title: "Recipe overrides")
    var recipe: RecipeOptions
    @OptionGroup(title: "Execution (may change on --resume)")
    var runtime: RuntimeOptions
    @Option(help: "Run folder (default: runs/<preset>-<time>).")
    var out: String?
    @Option(help: "Continue the run in this folder from its last checkpoint (only the execution options may change).")
    var resume: String?
    @Flag(help: "Start a new run in --out even though it holds a run, replacing that run's files.")
    var overwrite = false

    func validate() throws {
        if overwrite && resume != nil { throw ValidationError("--overwrite starts a new run; --resume continues one: give one of them") }
    }

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        try ParallelRun.run { world in
            let processes = world.map { MPIProcessGroup($0) }
            let stop = StopRequest()
            stop.installSignalHandlers()
            // The writing process keeps the run folder locked until the report is written: no other run writes
            // into it meanwhile.
            let (trainer, lock) = try resume.map { try resumedTrainer(folder: URL(fileURLWithPath: $0), stop: stop, processes: processes) }
                ?? newTrainer(stop: stop, processes: processes)
            defer { lock?.release() }
            let summary = try trainer.run()
            guard world?.isRoot ?? true else { return }
            print(summary.description)
            let report = try RunReport(folder: RunFolder(summary.folder)).write()
            print("report → \(report.path)")
        }
    }

    /// A trainer for a new run from the preset and options, and its folder's lock (held by the writing
    /// process, rank 0 under MPI); under MPI `--batch-size` is the global batch.
    private func newTrainer(stop: StopRequest, processes: MPIProcessGroup?) throws -> (Trainer, RunFolderLock?) {
        var options = TrainingOptions()
        recipe.apply(to: &options)
        runtime.apply(to: &options)
        options.processes = processes?.size
        let name = preset ?? Preset.fashionMNIST.name
        let configuration: TrainingConfiguration
        do {
            configuration = try TrainingConfiguration(preset: try Preset.named(name), options: options)
        } catch {
            // Every process checks the same options: under MPI they all refuse them together.
            throw processes == nil ? error : AgreedError(underlying: error)
        }
        let folder = URL(fileURLWithPath: out ?? "runs/\(name)-\(Self.timestamp())")
        let lock = (processes?.rank ?? 0) == 0 ? try RunFolderLock(RunFolder(folder)) : nil
        do {
            return (try Trainer(configuration: configuration, runFolder: folder, overwrite: overwrite, lock: lock,
                                stopRequest: stop, processes: processes), lock)
        } catch {
            lock?.abandon()
            throw error
        }
    }

    /// A trainer continuing `folder`'s run from `last.safetensors`, and the folder's lock (held by the
    /// writing process). Options that would change what is trained are refused: the schedule and the random
    /// streams depend on them. Under MPI rank 0 reads the folder's files and sends them to the others (which
    /// need not see the folder), and a run trained by another number of processes is refused.
    private func resumedTrainer(folder: URL, stop: StopRequest, processes: MPIProcessGroup?) throws -> (Trainer, RunFolderLock?) {
        let refused = (preset != nil ? ["--preset"] : []) + recipe.given + (out != nil ? ["--out"] : [])
        guard refused.isEmpty else {
            throw ValidationError("--resume continues the saved configuration; it cannot change \(refused.joined(separator: ", "))")
        }
        let run = RunFolder(folder)
        guard let processes else {
            guard FileManager.default.fileExists(atPath: folder.path) else {
                throw TrainingError.invalidRun("\(folder.path) not found: no run to resume")
            }
            // Locked before reading: the run's files cannot change between here and the end of the run.
            let lock = try RunFolderLock(run)
            var configuration = try TrainingConfiguration.read(from: run.configuration)
            guard FileManager.default.fileExists(atPath: run.lastCheckpoint.path) else {
                throw TrainingError.invalidRun("\(run.lastCheckpoint.path) not found: nothing to resume (start again with --out \(folder.path) --overwrite)")
            }
            let checkpoint = try Checkpoint.read(from: run.lastCheckpoint)
            runtime.apply(to: &configuration)
            return (try Trainer(configuration: configuration, runFolder: folder, resumingFrom: checkpoint, lock: lock,
                                stopRequest: stop), lock)
        }
        let lock = processes.rank == 0 ? try RunFolderLock(run) : nil
        func rootsFile(_ url: URL) throws -> Data {
            let bytes = processes.rank == 0 ? try Self.contents(of: url) : []
            return Data(try processes.broadcast(bytes: bytes))
        }
        var configuration = try TrainingConfiguration.read(bytes: rootsFile(run.configuration), source: run.configuration.path)
        guard configuration.processCount == processes.size else {
            throw AgreedError(underlying: ValidationError(
                "\(folder.path) was trained by \(configuration.processCount) process(es), each on \(configuration.batchSize / configuration.processCount) "
                + "images of the global --batch-size \(configuration.batchSize); resume it with mpirun -np \(configuration.processCount)"))
        }
        let checkpoint = try Checkpoint.read(bytes: rootsFile(run.lastCheckpoint), source: run.lastCheckpoint.path)
        runtime.apply(to: &configuration)
        return (try Trainer(configuration: configuration, runFolder: folder, resumingFrom: checkpoint, lock: lock,
                            stopRequest: stop, processes: processes), lock)
    }

    /// The bytes of `url`; throws naming it (a missing `last` means nothing to resume).
    private static func contents(of url: URL) throws -> [UInt8] {
        do { return Array(try Data(contentsOf: url)) } catch {
            throw TrainingError.invalidRun("\(url.path) cannot be read (\(error.localizedDescription)): nothing to resume")
        }
    }

    /// The current UTC time as yyyyMMdd-HHmmss.
    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

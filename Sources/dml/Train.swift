import ArgumentParser
import Foundation
import MetricLearning

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

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let stop = StopRequest()
        stop.installSignalHandlers()
        let trainer = try resume.map { try resumedTrainer(folder: URL(fileURLWithPath: $0), stop: stop) }
            ?? newTrainer(stop: stop)
        let summary = try trainer.run()
        print(summary.description)
        let report = try RunReport(folder: RunFolder(summary.folder)).write()
        print("report → \(report.path)")
    }

    /// A trainer for a new run from the preset and options.
    private func newTrainer(stop: StopRequest) throws -> Trainer {
        var options = TrainingOptions()
        recipe.apply(to: &options)
        runtime.apply(to: &options)
        let name = preset ?? Preset.fashionMNIST.name
        let configuration = try TrainingConfiguration(preset: try Preset.named(name), options: options)
        let folder = URL(fileURLWithPath: out ?? "runs/\(name)-\(Self.timestamp())")
        return try Trainer(configuration: configuration, runFolder: folder, stopRequest: stop)
    }

    /// A trainer continuing `folder`'s run from `last.safetensors`. Options that would change what is
    /// trained are refused: the schedule and the random streams depend on them.
    private func resumedTrainer(folder: URL, stop: StopRequest) throws -> Trainer {
        let refused = (preset != nil ? ["--preset"] : []) + recipe.given + (out != nil ? ["--out"] : [])
        guard refused.isEmpty else {
            throw ValidationError("--resume continues the saved configuration; it cannot change \(refused.joined(separator: ", "))")
        }
        let run = RunFolder(folder)
        var configuration = try TrainingConfiguration.read(from: run.configuration)
        guard FileManager.default.fileExists(atPath: run.lastCheckpoint.path) else {
            throw TrainingError.invalidRun("\(run.lastCheckpoint.path) not found: nothing to resume")
        }
        let checkpoint = try Checkpoint.read(from: run.lastCheckpoint)
        runtime.apply(to: &configuration)
        return try Trainer(configuration: configuration, runFolder: folder, resumingFrom: checkpoint, stopRequest: stop)
    }

    /// The current UTC time as yyyyMMdd-HHmmss.
    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

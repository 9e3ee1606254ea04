import Foundation
@testable import MLFormats
@testable import MLTraining
import TestSupport
import Testing

/// `dml train` as a user runs it: a child process of the `dml` executable built beside the test bundle, on
/// the tiny generated dataset `TinyFashionMNIST` (100 training images of classes 0–4, batches of 25: 4 iterations
/// per epoch).
@Suite struct TrainCommandTests {
    /// The `dml` executable next to this test binary (`swift test` builds every product).
    static func executable() throws -> URL {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let url = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("dml")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TrainingError.invalidRun("no dml executable at \(url.path): run `swift build` first")
        }
        return url
    }

    /// The recipe options of the runs below (fashion-mnist preset, dropout on so its stream must resume).
    static func trainArguments(data: URL, epochs: Int) -> [String] {
        ["train", "--data", data.path, "--epochs", String(epochs), "--batch-size", "25", "--lr", "0.01",
         "--schedule", "constant", "--dropout", "0.5", "--log-every", "1", "--workers", "1", "--seed", "7"]
    }

    /// Starts `dml arguments` (or `/bin/sh -c script dml arguments…` with a shell prefix), its output in
    /// `log`, with `environment` added to the test's. The OpenMP policy is set so the command does not
    /// re-execute itself.
    static func start(_ arguments: [String], log: URL, shellPrefix: String? = nil,
                      environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        let dml = try executable()
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shellPrefix + "; exec \"$0\" \"$@\"", dml.path] + arguments
        } else {
            process.executableURL = dml
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_WAIT_POLICY"] = "passive"
        environment.merge(extra) { $1 }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Every tensor of two checkpoints (model, loss, momentum) agrees to `tolerance` (norm-relative).
    static func expectSameTensors(_ got: URL, _ expected: URL, tolerance: Double = 1e-6) throws {
        let (a, b) = (try SafeTensorsFile(contentsOf: got), try SafeTensorsFile(contentsOf: expected))
        #expect(a.names.sorted() == b.names.sorted())
        for name in b.names {
            let (x, y) = (try a.tensor(named: name).scalars, try b.tensor(named: name).scalars.map(Double.init))
            let error = relativeError(x, y)
            #expect(error <= tolerance, "\(name): differs by \(error); \(worstMismatch(x, y))")
        }
    }

    @Test func runInterruptedBySIGINTResumesToTheWeightsOfAStraightRun() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let arguments = Self.trainArguments(data: directory.url, epochs: 3)
        let interrupted = directory.url.appendingPathComponent("interrupted")
        let log = directory.url.appendingPathComponent("interrupted.log")
        let process = try Self.start(arguments + ["--out", interrupted.path], log: log)
        // Interrupt inside the second epoch: after 6 of the 12 iterations were logged.
        let trainLog = RunFolder(interrupted).trainLog
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning, Date() < deadline,
              ((try? String(contentsOf: trainLog, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 6 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(process.isRunning, "dml train ended before it could be interrupted: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("stopped at iteration") && output.contains("stopped early"), "\(output)")
        let saved = try Checkpoint.read(from: RunFolder(interrupted).lastCheckpoint)
        #expect((6..<12).contains(saved.state.iteration), "stopped at iteration \(saved.state.iteration)")
        #expect(saved.state.sampler?.position == saved.state.iteration % 4 || saved.state.sampler?.position == 4)

        let resume = try Self.start(["train", "--resume", interrupted.path],
                                    log: directory.url.appendingPathComponent("resumed.log"))
        resume.waitUntilExit()
        #expect(resume.terminationStatus == 0,
                "\((try? String(contentsOf: directory.url.appendingPathComponent("resumed.log"), encoding: .utf8)) ?? "")")
        let resumed = try Checkpoint.read(from: RunFolder(interrupted).lastCheckpoint)
        #expect(resumed.state.epoch == 3 && resumed.state.iteration == 12)
        let epochs = try RunFolder(interrupted).records(EvaluationRecord.self, in: RunFolder(interrupted).metrics).map(\.epoch)
        #expect(epochs == [0, 1, 2, 3])
        // Each run of the command ends by writing the report of the whole run.
        let report = try String(contentsOf: RunFolder(interrupted).report, encoding: .utf8)
        #expect(report.contains("<svg") && report.contains("<td>3</td>"), "report.html lacks the curves or epoch 3")

        // The same run straight through, in this process, from the run's own config.json.
        let straight = directory.url.appendingPathComponent("straight")
        let configuration = try TrainingConfiguration.read(from: RunFolder(interrupted).configuration)
        try Trainer(configuration: configuration, runFolder: straight,
                    progress: ProgressReporter(lineEvery: 1000, isTerminal: false)).run()
        try Self.expectSameTensors(RunFolder(interrupted).lastCheckpoint, RunFolder(straight).lastCheckpoint)
        // Its metrics.jsonl reports the interrupted epoch's mean loss over all the epoch's batches.
        let (got, expected) = (try RunFolder(interrupted).records(EvaluationRecord.self, in: RunFolder(interrupted).metrics),
                               try RunFolder(straight).records(EvaluationRecord.self, in: RunFolder(straight).metrics))
        #expect(got.map(\.epoch) == expected.map(\.epoch))
        for (a, b) in zip(got, expected) {
            #expect(abs((a.trainLoss ?? 0) - (b.trainLoss ?? 0)) <= 1e-6 * abs(b.trainLoss ?? 0),
                    "epoch \(a.epoch): loss \(String(describing: a.trainLoss)) vs \(String(describing: b.trainLoss))")
        }
    }

    @Test func failedCheckpointWriteKeepsThePreviousCheckpoint() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let run = RunFolder(directory.url.appendingPathComponent("run"))
        let configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 2)
        try Trainer(configuration: configuration, runFolder: run.url,
                    progress: ProgressReporter(lineEvery: 1000, isTerminal: false)).run(iterationLimit: 3)
        let before = try Data(contentsOf: run.lastCheckpoint)

        // Resume with files limited to 1 MB (a checkpoint is ~90 MB): the next checkpoint write fails as on a
        // full disk (EFBIG; SIGXFSZ ignored so the write returns the error).
        let log = directory.url.appendingPathComponent("resume.log")
        let process = try Self.start(["train", "--resume", run.url.path], log: log,
                                     shellPrefix: "trap '' XFSZ; ulimit -f 2048")
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus != 0, "\(output)")
        #expect(output.contains("safetensors: cannot write the file (File too large)"), "\(output)")

        #expect(try Data(contentsOf: run.lastCheckpoint) == before, "last.safetensors changed")
        let checkpoint = try Checkpoint.read(from: run.lastCheckpoint)
        #expect(checkpoint.state.iteration == 3)
        _ = try checkpoint.makeModel()
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func resumeRefusesOptionsThatChangeWhatIsTrained() throws {
        let directory = try TemporaryDirectory()
        let log = directory.url.appendingPathComponent("resume.log")
        let process = try Self.start(["train", "--resume", directory.url.path, "--lr", "0.1", "--accumulate", "2",
                                      "--val-classes", "0.2", "--threads", "1", "--log-every", "5"], log: log)
        process.waitUntilExit()
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus != 0)
        #expect(output.contains("cannot change --lr, --accumulate, --val-classes\n"), "\(output)")
    }
}

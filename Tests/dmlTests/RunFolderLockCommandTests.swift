import Foundation
@testable import MLTraining
import TestSupport
import Testing

/// One run per folder: while `dml train` writes a folder, a second `dml train --out` into it and a `--resume`
/// of it are refused naming the running process; a folder that holds a run takes a new one only with
/// `--overwrite`. (That a killed run leaves no lock behind, `CrashSafetyTests` shows by resuming.)
@Suite(.serialized) struct RunFolderLockCommandTests {
    @Test func runningFolderRefusesASecondRunAndAResume() throws {
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        let run = directory.url.appendingPathComponent("run")
        let log = directory.url.appendingPathComponent("first.log")
        let first = try TrainCommandTests.start(tiny.trainArguments(out: run, ["--epochs", "50"]), log: log)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(300)
        while first.isRunning, Date() < deadline, (try? TinyRun.loggedIterations(run).count) ?? 0 < 1 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try #require(first.isRunning, "the first run ended early: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let configuration = try Data(contentsOf: RunFolder(run).configuration)

        let holder = "is in use by process \(first.processIdentifier) ("
        for arguments in [tiny.trainArguments(out: run, ["--seed", "8"]), ["train", "--resume", run.path]] {
            let refused = try TinyRun.dml(arguments)
            #expect(refused.status != 0, "\(arguments): \(refused.output)")
            #expect(refused.output.contains("Error: the run folder \(run.path) \(holder)") && refused.output.contains("dml train"),
                    "\(arguments): \(refused.output)")
        }
        #expect(try Data(contentsOf: RunFolder(run).configuration) == configuration, "config.json changed")
        kill(first.processIdentifier, SIGINT)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
    }

    @Test func folderHoldingARunTakesANewOneOnlyWithOverwrite() throws {
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        let run = directory.url.appendingPathComponent("run")
        try FileManager.default.copyItem(at: tiny.straight, to: run)
        let files = try FileManager.default.contentsOfDirectory(atPath: run.path).sorted()
        let before = try files.map { try Data(contentsOf: run.appendingPathComponent($0)) }

        let refused = try TinyRun.dml(tiny.trainArguments(out: run, ["--epochs", "1"]))
        #expect(refused.status != 0)
        #expect(refused.output.contains("Error: \(run.path) already holds a run (config.json, metrics.jsonl, train_log.jsonl, "
            + "last.safetensors, best.safetensors, retrieval.json, report.html): continue it with --resume \(run.path), "
            + "or replace it with --overwrite\n"), "\(refused.output)")
        #expect(try files.map { try Data(contentsOf: run.appendingPathComponent($0)) } == before, "the refused run changed a file")
        let both = try TinyRun.dml(["train", "--resume", run.path, "--overwrite"])
        #expect(both.status != 0 && both.output.contains("--overwrite starts a new run; --resume continues one"), "\(both.output)")

        let replaced = try TinyRun.dml(tiny.trainArguments(out: run, ["--epochs", "1", "--seed", "8", "--overwrite"]))
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(try TrainingConfiguration.read(from: RunFolder(run).configuration).seed == 8)
        #expect(try TinyRun.loggedIterations(run) == Array(1...TinyRun.iterationsPerEpoch))
        #expect(try TinyRun.evaluatedEpochs(run) == [0, 1])
    }
}

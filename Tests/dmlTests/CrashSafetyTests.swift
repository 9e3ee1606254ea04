import Foundation
@testable import MLTraining
import TestSupport
import Testing

/// `dml train` killed with SIGKILL at the moments a random kill rarely hits — mid-epoch, in the middle of a
/// checkpoint write, in the middle of a log line, right after an evaluation — by the `DML_FAULT` points
/// (`FaultInjection`), then resumed: what existed before the kill is intact (`last` and `best` readable, the
/// logs' complete lines those of an uninterrupted run), at most `--checkpoint-every` iterations are lost, the
/// next run removes the temporary file and the torn line, and the resumed run ends bit-identical to a straight
/// run. Also a non-finite loss, provoked the same way.
@Suite(.serialized) struct CrashSafetyTests {
    /// A fault, where it leaves the run, and what the killed process leaves behind (iterations as logged,
    /// counted from 1; 4 per epoch; `last` every 3 and at each epoch end; checkpoint writes in order: best@0,
    /// last@0, last@3, best@4, last@4, last@6, …; log lines in order: metrics@0, iterations 1–4, metrics@1, 5, 6…).
    struct Kill: Sendable, CustomTestStringConvertible {
        let fault: String
        /// The iterations logged completely when the process died, and those `last` and `best` hold.
        let logged: Int
        let last: Int
        let best: Int
        /// The evaluations in `metrics.jsonl` when it died.
        let evaluated: [Int]
        /// Whether a checkpoint write was cut short (its temporary file stays until the next run).
        var leavesTemporaryFile = false
        /// Whether a `train_log.jsonl` line was cut short.
        var leavesTornLine = false

        var testDescription: String { fault }
    }

    static let kills = [
        Kill(fault: "iteration:5", logged: 5, last: 4, best: 4, evaluated: [0, 1]),
        Kill(fault: "checkpoint-write:6", logged: 6, last: 4, best: 4, evaluated: [0, 1], leavesTemporaryFile: true),
        Kill(fault: "log-append:8", logged: 5, last: 4, best: 4, evaluated: [0, 1], leavesTornLine: true),
        Kill(fault: "evaluation:2", logged: 4, last: 3, best: 4, evaluated: [0, 1]),
    ]

    @Test(arguments: kills)
    func killedRunResumesWithoutLosingOrRepeatingAnything(_ kill: Kill) throws {
        let tiny = try TinyRun.shared()
        try tiny.requireBestAfterEveryEvaluation()
        let directory = try TemporaryDirectory()
        let run = RunFolder(directory.url.appendingPathComponent("run"))
        let killed = try TinyRun.dml(tiny.trainArguments(out: run.url), environment: ["DML_FAULT": kill.fault])
        try #require(killed.signal == SIGKILL, "\(kill.fault): not killed (status \(killed.status)): \(killed.output)")

        // What the killed run left is readable and what it wrote before the kill is intact.
        let (last, best) = (try Checkpoint.read(from: run.lastCheckpoint), try Checkpoint.read(from: run.bestCheckpoint))
        #expect(last.state.iteration == kill.last && best.state.iteration == kill.best)
        _ = try last.makeModel()
        if kill.best == kill.last { try TrainCommandTests.expectSameTensors(run.bestCheckpoint, run.lastCheckpoint, tolerance: 0) }
        #expect(kill.logged - last.state.iteration <= TinyRun.checkpointEvery, "more than --checkpoint-every iterations lost")
        let (trainLog, metrics) = (try TinyRun.lines(of: run.trainLog), try TinyRun.lines(of: run.metrics))
        let straight = RunFolder(tiny.straight)
        #expect(trainLog.records == Array(try TinyRun.lines(of: straight.trainLog).records.prefix(kill.logged)))
        #expect(trainLog.isTorn == kill.leavesTornLine && !metrics.isTorn)
        #expect(metrics.records == Array(try TinyRun.lines(of: straight.metrics).records.prefix(kill.evaluated.count)))
        #expect(try TinyRun.temporaryFiles(run.url).count == (kill.leavesTemporaryFile ? 1 : 0))

        let resumed = try TinyRun.dml(["train", "--resume", run.url.path])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try TinyRun.temporaryFiles(run.url).isEmpty, "a temporary file outlived the next run")
        if kill.leavesTemporaryFile { #expect(resumed.output.contains("removed what an interrupted write left: .last.safetensors.tmp-")) }
        let iterations = TinyRun.epochs * TinyRun.iterationsPerEpoch
        #expect(try TinyRun.loggedIterations(run.url) == Array(1...iterations), "train_log.jsonl repeats or misses lines")
        #expect(try TinyRun.evaluatedEpochs(run.url) == Array(0...TinyRun.epochs), "metrics.jsonl repeats or misses lines")
        try tiny.expectSameRun(run.url)
    }

    @Test func nonFiniteLossStopsKeepingLastAndBestAndTheRunResumes() throws {
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        let run = RunFolder(directory.url.appendingPathComponent("run"))
        // Iteration 6 (epoch 2) gets NaN images; `last` was written at iteration 4 (epoch 1's end) and `best`
        // after epoch 1's evaluation, from the same weights.
        let failed = try TinyRun.dml(tiny.trainArguments(out: run.url), environment: ["DML_FAULT": "nonfinite-loss:6"])
        #expect(failed.signal == nil && failed.status != 0, "status \(failed.status): \(failed.output)")
        #expect(failed.output.contains("loss became nan at epoch 2, iteration 6; stopped. The last good checkpoint is \(run.lastCheckpoint.path)"),
                "\(failed.output)")
        let (last, best) = (try Checkpoint.read(from: run.lastCheckpoint), try Checkpoint.read(from: run.bestCheckpoint))
        #expect(last.state.iteration == 4 && last.state.epoch == 1, "last was written after iteration 4")
        #expect(best.state.bestEpoch == 1 && best.state.iteration == 4)
        try TrainCommandTests.expectSameTensors(run.bestCheckpoint, run.lastCheckpoint, tolerance: 0)
        for name in last.weights.names {
            #expect(try last.weights.tensor(named: name).scalars.allSatisfy(\.isFinite), "\(name) is not finite")
        }
        #expect(try TinyRun.loggedIterations(run.url) == Array(1...5))
        #expect(try TinyRun.temporaryFiles(run.url).isEmpty)

        let resumed = try TinyRun.dml(["train", "--resume", run.url.path])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try TinyRun.loggedIterations(run.url) == Array(1...8))
        try tiny.expectSameRun(run.url)
    }
}

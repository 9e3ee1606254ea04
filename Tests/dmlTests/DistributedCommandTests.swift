import Foundation
import MLFormats
@testable import MLTraining
import TestSupport
import Testing

/// `dml` under `mpirun -np 2` (TestSupport's `MPIRun`: two local ranks over TCP) on the tiny Fashion-MNIST,
/// as a user runs it.
@Suite(.serialized) struct DistributedCommandTests {
    /// Starts `mpirun -np 2 dml arguments…`, its output in `log`.
    static func start(_ arguments: [String], log: URL) throws -> Process {
        try MPIRun.start(MPIRun.builtProgram("dml"), arguments, log: log)
    }

    /// Runs `mpirun -np 2 dml arguments…` to its end (at most `timeout` seconds).
    static func run(_ arguments: [String], in directory: TemporaryDirectory, name: String,
                    timeout: Double = 600) throws -> MPIRun.Outcome {
        try MPIRun.run(MPIRun.builtProgram("dml"), arguments, timeout: timeout,
                       log: directory.url.appendingPathComponent("\(name).log"))
    }

    /// Waits until `run`'s train_log.jsonl has `lines` lines or `process` ended.
    static func waitForLog(of run: RunFolder, lines: Int, while process: Process) {
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning, Date() < deadline,
              ((try? String(contentsOf: run.trainLog, encoding: .utf8))?.split(separator: "\n").count ?? 0) < lines {
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The process of rank `rank` among those `mpirun` started (its children), found by the rank Open MPI
    /// puts in its environment.
    static func rank(_ rank: Int, of process: Process) -> Int32? {
        let pid = process.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first { child in
            // A child that has already exited has no environment to read: it is not the rank looked for.
            let environment = FileManager.default.contents(atPath: "/proc/\(child)/environ") ?? Data()
            return environment.split(separator: 0).contains { Array($0) == Array("OMPI_COMM_WORLD_RANK=\(rank)".utf8) }
        }
    }

    /// `mpirun -np 2 dml train --batch-size 20` for one epoch (5 steps) equals `dml train --batch-size 10
    /// --accumulate 2` in rank 0's `last` (parameters, loss parameters, momentum buffers: 1e-5 norm-relative,
    /// measured bit-identical; batch norm's running statistics differ by design) and logs the same losses.
    func expectAccumulationEquality(paperRegime: Bool) throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let (parallel, single) = (RunFolder(directory.url.appendingPathComponent("parallel")),
                                  RunFolder(directory.url.appendingPathComponent("single")))
        let outcome = try Self.run(DataParallelRun.arguments(data: directory.url, processes: 2, paperRegime: paperRegime)
                                   + ["--out", parallel.url.path], in: directory, name: "parallel")
        #expect(outcome.status == 0, "\(outcome.output)")
        let (status, output) = try DMLProcess.run(DataParallelRun.arguments(data: directory.url, processes: 1,
                                                                            paperRegime: paperRegime)
                                                  + ["--out", single.url.path])
        #expect(status == 0, "\(output)")
        guard outcome.status == 0, status == 0 else { return }
        #expect(outcome.output.components(separatedBy: "Recall@K on the test classes").count == 2, "rank 0 alone prints the summary")
        let (got, expected) = (try SafeTensorsFile(contentsOf: parallel.lastCheckpoint),
                               try SafeTensorsFile(contentsOf: single.lastCheckpoint))
        #expect(got.names.sorted() == expected.names.sorted())
        for name in expected.names where !DataParallelRun.isRunningStatistic(name) {
            let (a, b) = (try got.floats(named: name), try expected.floats(named: name).map(Double.init))
            #expect(relativeError(a, b) <= 1e-5, "\(name): \(relativeError(a, b)); \(worstMismatch(a, b))")
        }
        let losses = { (run: RunFolder) in try run.records(TrainLogRecord.self, in: run.trainLog).map(\.loss) }
        let (parallelLosses, singleLosses) = (try losses(parallel), try losses(single))
        #expect(parallelLosses.count == 5)
        for (a, b) in zip(parallelLosses, singleLosses) { #expect(abs(a - b) <= 1e-9 * abs(b), "\(parallelLosses) vs \(singleLosses)") }
        let configuration = try TrainingConfiguration.read(from: parallel.configuration)
        #expect(configuration.processes == 2 && configuration.batchSize == 20)
    }

    @Test func twoProcessesTrainAsOneAccumulating() throws {
        try expectAccumulationEquality(paperRegime: false)
    }

    @Test func twoProcessesTrainAsOneAccumulatingWithDropoutAndFrozenBatchNorm() throws {
        try expectAccumulationEquality(paperRegime: true)
    }

    @Test func aBatchTheProcessesDoNotDivideIsRefused() throws {
        let directory = try TemporaryDirectory()
        let outcome = try Self.run(["train", "--data", directory.url.path, "--batch-size", "25"], in: directory, name: "odd")
        #expect(outcome.status != 0)
        #expect(outcome.output.contains("--batch-size 25 is the global batch of the 2 processes: it must be a multiple of 2"),
                "\(outcome.output)")
    }

    /// A rank killed mid-epoch ends the job with an error within seconds; a plain `--resume` is refused;
    /// `--resume` under mpirun continues, and SIGUSR1 to one rank stops both at the same step with `last`
    /// written; a last resume finishes the run: every iteration logged, every epoch evaluated.
    @Test func aKilledRankEndsTheJobAndTheRunResumes() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let run = RunFolder(directory.url.appendingPathComponent("run"))
        let arguments = ["train", "--data", directory.url.path, "--epochs", "3", "--batch-size", "20", "--lr", "0.01",
                         "--schedule", "constant", "--log-every", "1", "--checkpoint-every", "2", "--workers", "1",
                         "--seed", "7", "--out", run.url.path]
        let killed = try Self.start(arguments, log: directory.url.appendingPathComponent("killed.log"))
        Self.waitForLog(of: run, lines: 7, while: killed)
        let victim = Self.rank(1, of: killed)
        #expect(killed.isRunning && victim != nil)
        let stopped = Date()
        if let victim { kill(victim, SIGKILL) }
        killed.waitUntilExit()
        #expect(killed.terminationStatus != 0)
        #expect(Date().timeIntervalSince(stopped) < 20, "the job took \(Date().timeIntervalSince(stopped)) s to end")
        let saved = try Checkpoint.read(from: run.lastCheckpoint)
        #expect(saved.state.iteration >= 6, "last holds iteration \(saved.state.iteration)")

        let refused = try DMLProcess.run(["train", "--resume", run.url.path])
        #expect(refused.status != 0)
        #expect(refused.output.contains("resume it with mpirun -np 2"), "\(refused.output)")

        let logged = try run.records(TrainLogRecord.self, in: run.trainLog).count
        let interrupted = try Self.start(["train", "--resume", run.url.path],
                                         log: directory.url.appendingPathComponent("interrupted.log"))
        // Two more steps: the resumed ranks have installed their signal handlers. The signal goes to rank 1
        // alone (mpirun would forward it to both, but this test process starts mpirun with it blocked):
        // rank 0, which writes `last`, learns of it through the step's collective.
        Self.waitForLog(of: run, lines: logged + 2, while: interrupted)
        let signalled = Self.rank(1, of: interrupted)
        #expect(interrupted.isRunning && signalled != nil)
        if let signalled { kill(signalled, SIGUSR1) }
        interrupted.waitUntilExit()
        let interruptedOutput = try String(contentsOf: directory.url.appendingPathComponent("interrupted.log"), encoding: .utf8)
        #expect(interrupted.terminationStatus == 0, "\(interruptedOutput)")
        #expect(interruptedOutput.contains("stopped at iteration"), "\(interruptedOutput)")
        let atStop = try Checkpoint.read(from: run.lastCheckpoint).state.iteration
        #expect(atStop < 15, "stopped at iteration \(atStop)")

        let finished = try Self.run(["train", "--resume", run.url.path], in: directory, name: "finished")
        #expect(finished.status == 0, "\(finished.output)")
        #expect(try Checkpoint.read(from: run.lastCheckpoint).state.iteration == 15)
        #expect(try run.records(EvaluationRecord.self, in: run.metrics).map(\.epoch) == [0, 1, 2, 3])
        let iterations = try run.records(TrainLogRecord.self, in: run.trainLog).map(\.iteration)
        #expect(Set(iterations) == Set(1...15), "\(iterations)")
    }

    /// A run of one process is not resumed by two. `dml eval` and `dml embed` under mpirun shard the images
    /// over the ranks; rank 0 prints the same metrics as one process (1e-6) and writes embeddings within 1e-6
    /// norm-relative of one process's.
    @Test func shardedEvaluationAndEmbeddingEqualOneProcess() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 9)
        let run = RunFolder(directory.url.appendingPathComponent("run"))
        let (status, output) = try DMLProcess.run(["train", "--data", directory.url.path, "--epochs", "1",
                                                   "--batch-size", "25", "--workers", "1", "--out", run.url.path])
        #expect(status == 0, "\(output)")
        let resumed = try Self.run(["train", "--resume", run.url.path], in: directory, name: "resume")
        #expect(resumed.status != 0 && resumed.output.contains("resume it with mpirun -np 1"), "\(resumed.output)")
        let checkpoint = run.lastCheckpoint.path
        let single = try DMLProcess.run(["eval", "--checkpoint", checkpoint, "--json"])
        let parallel = try Self.run(["eval", "--checkpoint", checkpoint, "--json"], in: directory, name: "eval")
        #expect(single.status == 0 && parallel.status == 0, "\(single.output)\n\(parallel.output)")
        let metrics = { (text: String) -> [String: Double] in
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(lines.count == 1, "one JSON line (rank 0's): \(text)")
            let object = (try? JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8))) as? [String: [String: Any]] ?? [:]
            var flat: [String: Double] = [:]
            for (distance, values) in object {
                for (key, value) in values {
                    if let number = value as? Double { flat["\(distance).\(key)"] = number }
                    for (k, v) in value as? [String: Double] ?? [:] { flat["\(distance).\(key).\(k)"] = v }
                }
            }
            return flat
        }
        let (expected, got) = (metrics(single.output), metrics(parallel.output))
        #expect(!expected.isEmpty && got.keys.sorted() == expected.keys.sorted())
        for (key, value) in expected { #expect(abs((got[key] ?? .nan) - value) <= 1e-6, "\(key): \(got[key] ?? .nan) vs \(value)") }

        let (alone, shared) = (directory.url.appendingPathComponent("alone.safetensors"),
                               directory.url.appendingPathComponent("shared.safetensors"))
        #expect(try DMLProcess.run(["embed", "--checkpoint", checkpoint, "--out", alone.path]).status == 0)
        let embedded = try Self.run(["embed", "--checkpoint", checkpoint, "--out", shared.path], in: directory, name: "embed")
        #expect(embedded.status == 0, "\(embedded.output)")
        let (a, b) = (try SafeTensorsFile(contentsOf: shared), try SafeTensorsFile(contentsOf: alone))
        let (x, y) = (try a.floats(named: "embeddings"), try b.floats(named: "embeddings").map(Double.init))
        #expect(relativeError(x, y) <= 1e-6, "\(worstMismatch(x, y))")
        #expect(try a.integers(named: "labels") == b.integers(named: "labels"))
    }

    /// `dml bench model --json` under mpirun: rank 0 alone prints one object with world_size 2, the total
    /// images per second and the allreduce time per step.
    @Test func benchModelReportsTheWorldOnce() throws {
        let directory = try TemporaryDirectory()
        let outcome = try Self.run(["bench", "model", "--arch", "resnet18", "--batch", "4", "--size", "32", "--steps", "1",
                                    "--threads", "1", "--json"], in: directory, name: "bench")
        #expect(outcome.status == 0, "\(outcome.output)")
        let lines = outcome.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count == 1, "\(outcome.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        #expect(report["world_size"] as? Int == 2)
        #expect((report["train_images_per_second"] as? Double ?? 0) > 0)
        let allreduce = try #require(report["allreduce"] as? [String: Any])
        #expect((allreduce["seconds_per_step"] as? Double ?? 0) > 0 && (allreduce["buckets"] as? Int ?? 0) >= 1)
    }
}

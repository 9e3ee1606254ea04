import Foundation
import MLFormats
@testable import MLTraining
import TestSupport
import Testing

/// The small `dml train` run the crash, lock and argument tests share: `TinyFashionMNIST` with 8 training
/// images per class (classes 0–4: 40 images, batches of 10, so 4 iterations per epoch) and 2 test images per
/// class, at 16 px, 2 epochs, dropout on (its stream must resume too), a `last` checkpoint every 3 iterations.
/// `straight` is that run without interruption, made once per test process by the built `dml`.
final class TinyRun: @unchecked Sendable {
    /// The dataset folder and the uninterrupted run folder.
    let data: URL
    let straight: URL
    private let directory: TemporaryDirectory

    static let iterationsPerEpoch = 4
    static let epochs = 2
    static let checkpointEvery = 3

    /// The shared run (made on first use).
    static func shared() throws -> TinyRun { try sharedResult.get() }
    private static let sharedResult = Result { try TinyRun() }

    private init() throws {
        directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, subfolder: "data", trainPerClass: 8, testPerClass: 2)
        data = directory.url.appendingPathComponent("data")
        straight = directory.url.appendingPathComponent("straight")
        let result = try Self.dml(trainArguments(out: straight))
        guard result.status == 0 else { throw TrainingError.invalidRun("the straight run failed: \(result.output)") }
    }

    /// `dml train` with this run's recipe into `out` (`extra` appended).
    func trainArguments(out: URL, _ extra: [String] = []) -> [String] {
        ["train", "--data", data.path, "--out", out.path, "--epochs", String(Self.epochs), "--batch-size", "10",
         "--image-size", "16", "--lr", "0.01", "--schedule", "constant", "--dropout", "0.5", "--log-every", "1",
         "--workers", "1", "--seed", "7", "--checkpoint-every", String(Self.checkpointEvery)] + extra
    }

    /// How a `dml` process ended: its exit status or the signal that ended it, and what it printed.
    struct Outcome {
        let status: Int32
        let signal: Int32?
        let output: String
    }

    /// Runs `dml arguments` to its end with `environment` added.
    static func dml(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let directory = try TemporaryDirectory()
        let log = directory.url.appendingPathComponent("dml.log")
        let process = try TrainCommandTests.start(arguments, log: log, environment: environment)
        process.waitUntilExit()
        let signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        return Outcome(status: process.terminationStatus, signal: signal, output: try String(contentsOf: log, encoding: .utf8))
    }

    /// The `iteration` of every line of `folder`'s `train_log.jsonl`, in order.
    static func loggedIterations(_ folder: URL) throws -> [Int] {
        let run = RunFolder(folder)
        return try run.records(TrainLogRecord.self, in: run.trainLog).map(\.iteration)
    }

    /// The `epoch` of every line of `folder`'s `metrics.jsonl`, in order.
    static func evaluatedEpochs(_ folder: URL) throws -> [Int] {
        let run = RunFolder(folder)
        return try run.records(EvaluationRecord.self, in: run.metrics).map(\.epoch)
    }

    /// The names in `folder` of temporary files (`AtomicFile`'s `.name.tmp-XXXXXX`).
    static func temporaryFiles(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    }

    /// The counts of checkpoint writes above assume that every evaluation writes `best` (R@1 never drops, a
    /// tie going to the later epoch), as it does on this data; throws if the straight run says otherwise.
    func requireBestAfterEveryEvaluation() throws {
        let recalls = try RunFolder(straight).records(EvaluationRecord.self, in: RunFolder(straight).metrics).map(\.selectionRecall)
        try #require(zip(recalls, recalls.dropFirst()).allSatisfy { $0 <= $1 }, "R@1 by epoch \(recalls): best is not rewritten after each evaluation")
    }

    /// `folder` holds exactly the straight run's training, as `tools/compare-runs.py` checks it: `last` and `best`
    /// with bit-identical tensors and the same metadata apart from the configuration (its provenance), and
    /// `train_log.jsonl` and `metrics.jsonl` line for line apart from the timing keys.
    func expectSameRun(_ folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (run, reference) = (RunFolder(folder), RunFolder(straight))
        for (got, expected) in [(run.lastCheckpoint, reference.lastCheckpoint), (run.bestCheckpoint, reference.bestCheckpoint)] {
            try TrainCommandTests.expectSameTensors(got, expected, tolerance: 0)
            let (a, b) = (try SafeTensorsFile(contentsOf: got).metadata, try SafeTensorsFile(contentsOf: expected).metadata)
            #expect(a.filter { $0.key != "config" } == b.filter { $0.key != "config" },
                    "\(got.lastPathComponent): metadata differs", sourceLocation: sourceLocation)
        }
        for (got, expected) in [(run.trainLog, reference.trainLog), (run.metrics, reference.metrics)] {
            let (a, b) = (try Self.lines(of: got), try Self.lines(of: expected))
            #expect(!a.isTorn && a.records == b.records, "\(got.lastPathComponent) differs from the straight run's",
                    sourceLocation: sourceLocation)
        }
    }

    /// The complete lines of the JSON-lines `file` without the timing keys (which differ between equal runs),
    /// and whether an incomplete (torn) line follows them.
    static func lines(of file: URL) throws -> (records: [NSDictionary], isTorn: Bool) {
        let data = try Data(contentsOf: file)
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        let records = try lines.dropLast().map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any], "\(file.path): not an object")
            return object.filter { !["seconds", "images_per_second"].contains($0.key) } as NSDictionary
        }
        return (records, !(lines.last?.isEmpty ?? true))
    }
}

import Foundation
@testable import MLEvaluation
@testable import MLFormats
@testable import MLTraining
import TestSupport
import Testing

/// A run folder written by the round-1 `dml` (interrupted during its second of three epochs) still reads,
/// evaluates and resumes: the files other tools and later versions must keep understanding.
@Suite struct RoundOneRunTests {
    @Test func checkpointReadsWithItsStateAndBuildsItsModel() throws {
        let fixture = try RoundOneRun()
        let checkpoint = try Checkpoint.read(from: RunFolder(fixture.run).lastCheckpoint)
        #expect(checkpoint.state.epoch == 1 && checkpoint.state.iteration == 7)
        #expect(checkpoint.state.sampler?.position == 3 && checkpoint.state.sampler?.batches.count == 4)
        #expect(checkpoint.model.arch == .resnet18 && checkpoint.configuration.epochs == 3)
        #expect(checkpoint.configuration == (try TrainingConfiguration.read(from: RunFolder(fixture.run).configuration)))
        let model = try checkpoint.makeModel()
        let saved = try SafeTensorsFile(contentsOf: RunFolder(fixture.run).lastCheckpoint).names
        #expect(Set(model.namedParameters.map(\.name)) == Set(saved.filter { !$0.hasPrefix("loss.") && !$0.hasPrefix("optimizer.") }))
        let metrics = try checkpoint.evaluate(dataPath: fixture.data.path)
        #expect(metrics.cosine.recallAtK.keys.sorted() == [1, 2, 4, 8])
        #expect(metrics.cosine.recallAtK.values.allSatisfy { (0...1).contains($0) })
    }

    @Test func interruptedRunResumesToTheEnd() throws {
        let fixture = try RoundOneRun()
        let folder = RunFolder(fixture.run)
        let before = try String(contentsOf: folder.metrics, encoding: .utf8).split(separator: "\n")
        var configuration = try TrainingConfiguration.read(from: folder.configuration)
        configuration.dataPath = fixture.data.path
        let trainer = try Trainer(configuration: configuration, runFolder: fixture.run,
                                  resumingFrom: try Checkpoint.read(from: folder.lastCheckpoint),
                                  progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        _ = try trainer.run()
        let resumed = try Checkpoint.read(from: folder.lastCheckpoint)
        #expect(resumed.state.epoch == 3 && resumed.state.iteration == 12)
        let after = try String(contentsOf: folder.metrics, encoding: .utf8).split(separator: "\n")
        #expect(Array(after.prefix(before.count)) == before, "the round-1 lines of metrics.jsonl changed")
        #expect(try folder.records(EvaluationRecord.self, in: folder.metrics).map(\.epoch) == [0, 1, 2, 3])
    }
}

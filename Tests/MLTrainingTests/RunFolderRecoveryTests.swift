import Foundation
@testable import MLTraining
import TestSupport
import Testing

/// What a run does to its folder before writing: the lock, refusing or clearing an earlier run, removing the
/// temporary files of killed writes, and cutting the logs back to the checkpoint on resume.
@Suite struct RunFolderRecoveryTests {
    static func trainLine(_ iteration: Int) -> String {
        "{\"epoch\":\((iteration - 1) / 4 + 1),\"images_per_second\":10.5,\"iteration\":\(iteration),\"loss\":1.25,\"lr\":0.01,\"spce\":2}\n"
    }

    static func metricsLine(_ epoch: Int) -> String {
        "{\"cosine\":{\"recall_at_k\":{\"1\":0.5}},\"epoch\":\(epoch),\"l2\":{\"recall_at_k\":{\"1\":0.5}},\"seconds\":3}\n"
    }

    @Test func rewindKeepsTheLinesUpToTheCheckpointByteForByte() throws {
        let directory = try TemporaryDirectory()
        let folder = RunFolder(directory.url)
        let log = (1...6).map(Self.trainLine).joined()
        try directory.write("train_log.jsonl", log + "{\"epoch\":2,\"iter")  // a line torn by a kill
        try directory.write("metrics.jsonl", (0...2).map(Self.metricsLine).joined())
        var state = TrainingState()
        (state.iteration, state.epoch) = (4, 1)
        try folder.rewind(to: state)
        #expect(try String(contentsOf: folder.trainLog, encoding: .utf8) == (1...4).map(Self.trainLine).joined())
        #expect(try String(contentsOf: folder.metrics, encoding: .utf8) == (0...1).map(Self.metricsLine).joined())
        #expect(try folder.records(TrainLogRecord.self, in: folder.trainLog).map(\.iteration) == [1, 2, 3, 4])
    }

    @Test func rewindLeavesACompleteLogUntouched() throws {
        let directory = try TemporaryDirectory()
        let folder = RunFolder(directory.url)
        try directory.write("train_log.jsonl", (1...4).map(Self.trainLine).joined())
        let inode = try FileManager.default.attributesOfItem(atPath: folder.trainLog.path)[.systemFileNumber] as? Int
        var state = TrainingState()
        (state.iteration, state.epoch) = (4, 1)
        try folder.rewind(to: state)
        #expect(try FileManager.default.attributesOfItem(atPath: folder.trainLog.path)[.systemFileNumber] as? Int == inode,
                "the file was rewritten")
        #expect(!FileManager.default.fileExists(atPath: folder.metrics.path))
    }

    @Test func rewindNamesALineThatIsNotARecord() throws {
        let directory = try TemporaryDirectory()
        try directory.write("train_log.jsonl", Self.trainLine(1) + "not json\n" + Self.trainLine(3))
        var state = TrainingState()
        state.iteration = 2
        #expect {
            try RunFolder(directory.url).rewind(to: state)
        } throws: { "\($0)".contains("train_log.jsonl line 2 is not a log record") }
    }

    @Test func onlyTheTemporaryFilesOfRunFilesAreRemoved() throws {
        let directory = try TemporaryDirectory()
        for name in [".last.safetensors.tmp-a1B2c3", ".metrics.jsonl.tmp-XyZ123", ".notes.txt.tmp-abcdef", "last.safetensors"] {
            try directory.write(name, "x")
        }
        let removed = try RunFolder(directory.url).removeTemporaryFiles()
        #expect(removed == [".last.safetensors.tmp-a1B2c3", ".metrics.jsonl.tmp-XyZ123"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == [".notes.txt.tmp-abcdef", "last.safetensors"])
    }

    @Test func aNewRunRefusesAFolderHoldingARunUnlessOverwriting() throws {
        let directory = try TemporaryDirectory()
        let folder = RunFolder(directory.url)
        try folder.prepareNewRun(overwrite: false)  // an empty folder takes a run
        try directory.write("notes.txt", "mine")
        try directory.write("config.json", "{}")
        try directory.write("last.safetensors", "x")
        #expect {
            try folder.prepareNewRun(overwrite: false)
        } throws: { "\($0)" == "\(directory.url.path) already holds a run (config.json, last.safetensors): continue it with "
            + "--resume \(directory.url.path), or replace it with --overwrite" }
        try folder.prepareNewRun(overwrite: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["notes.txt"])
    }

    @Test func aLockedFolderIsRefusedUntilReleased() throws {
        let directory = try TemporaryDirectory()
        let folder = RunFolder(directory.url.appendingPathComponent("run"))
        let lock = try RunFolderLock(folder)
        #expect(lock.createdFolder && lock.isHeld)
        #expect {
            try RunFolderLock(RunFolder(directory.url.appendingPathComponent("run/.")))
        } throws: { "\($0)".contains("is in use by this process") }
        lock.release()
        let again = try RunFolderLock(folder)
        #expect(!again.createdFolder)
        again.release()
    }

    @Test func abandoningRemovesOnlyAFolderTheLockCreatedAndNothingWroteInto() throws {
        let directory = try TemporaryDirectory()
        let created = RunFolder(directory.url.appendingPathComponent("new"))
        try RunFolderLock(created).abandon()
        #expect(!FileManager.default.fileExists(atPath: created.url.path))

        let used = RunFolder(directory.url.appendingPathComponent("used"))
        let lock = try RunFolderLock(used)
        try directory.write("used/config.json", "{}")
        lock.abandon()
        #expect(FileManager.default.fileExists(atPath: used.configuration.path))
        try RunFolderLock(RunFolder(directory.url)).abandon()
        #expect(FileManager.default.fileExists(atPath: directory.url.path), "abandon removed a folder it did not create")
    }
}

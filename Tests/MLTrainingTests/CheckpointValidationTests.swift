import Foundation
@testable import MLFormats
@testable import MLTraining
import TestSupport
import Testing

/// A checkpoint is input like any other file: its tensor data carries a checksum, its metadata is
/// checked field by field, its weights must be finite (issue 16: a flipped byte went unnoticed, an
/// image_size of −5 was used, a NaN weight was accepted).
@Suite struct CheckpointValidationTests {
    /// The round-1 run (its checkpoints rebuilt once: ResNet-18's seeded values take a while).
    nonisolated(unsafe) static let roundOne = Result { try RoundOneRun() }

    /// A folder of this test's own, and the round-1 run's last checkpoint (written before checksums).
    private func original() throws -> (TemporaryDirectory, URL) {
        (try TemporaryDirectory(), RunFolder(try Self.roundOne.get().run).lastCheckpoint)
    }

    /// That checkpoint written again by this version, in a folder of the test's own.
    private func written() throws -> (TemporaryDirectory, URL) {
        let (directory, source) = try original()
        let url = directory.url.appendingPathComponent("rewritten.safetensors")
        try Checkpoint.read(from: source).write(to: url)
        return (directory, url)
    }

    /// The file at `url` with metadata entry `key`'s JSON object changed by `change`, written to `name`.
    private func tampered(_ url: URL, _ key: String, _ change: (inout [String: Any]) -> Void) throws -> URL {
        var file = try SafeTensorsFile(contentsOf: url)
        let text = try #require(file.metadata[key])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        change(&object)
        file.metadata[key] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let target = url.deletingLastPathComponent().appendingPathComponent("tampered.safetensors")
        try file.write(to: target)
        return target
    }

    private func readError(_ url: URL) -> String {
        do {
            _ = try Checkpoint.read(from: url)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func checkpointsRecordTheirDataChecksumAndReadBack() throws {
        let (directory, url) = try written()
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata[Checkpoint.checksumKey] == file.dataCRC32())
        #expect(try Checkpoint.read(from: url).state == Checkpoint.read(from: original().1).state)
        withExtendedLifetime(directory) {}
    }

    @Test func aFlippedByteInTheTensorDataIsNoticed() throws {
        let (directory, url) = try written()
        defer { withExtendedLifetime(directory) {} }
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count - 100] ^= 0x01
        try Data(bytes).write(to: url)
        let crc = try SafeTensorsFile(contentsOf: url).metadata[Checkpoint.checksumKey] ?? ""
        #expect(readError(url).hasPrefix("\(url.path): the tensor data does not match the checkpoint's checksum (data_crc32 \(crc), the data gives "))
    }

    @Test func aFileWithoutChecksumStillLoads() throws {
        let (directory, url) = try written()
        var file = try SafeTensorsFile(contentsOf: url)
        file.metadata[Checkpoint.checksumKey] = nil
        try file.write(to: url)
        #expect(try Checkpoint.read(from: url).state == Checkpoint.read(from: original().1).state)
        withExtendedLifetime(directory) {}
    }

    @Test func metadataOutOfRangeIsRefusedNamingTheField() throws {
        let (directory, url) = try written()
        defer { withExtendedLifetime(directory) {} }
        let cases: [(key: String, change: (inout [String: Any]) -> Void, message: String)] = [
            ("config", { $0["image_size"] = -5 }, "checkpoint metadata config.image_size is -5; it must be from 16 to 8192 pixels"),
            ("config", { $0["remap"] = 0 }, "checkpoint metadata config.remap is 0; an embedding size must be from 1 to 65536"),
            ("config", { $0["std"] = [0.2, 0, 0.2] }, "checkpoint metadata config.std is [0.2, 0.0, 0.2]; it needs 3 positive values"),
            ("config", { $0["lr"] = -1 }, "checkpoint metadata config.lr is -1.0; it must be positive"),
            ("head", { $0["classes"] = 0 }, "checkpoint metadata head.classes is 0; a classifier needs from 1 to 16777216 classes"),
            ("state", { $0["epoch"] = 99 }, "checkpoint metadata state.epoch is 99; the run has 3 epochs"),
            ("config", { $0["arch"] = "resnet9000" }, "checkpoint metadata 'config' is malformed"),
        ]
        for (key, change, message) in cases {
            let target = try tampered(url, key, change)
            #expect(readError(target).hasPrefix("\(target.path): \(message)"), "\(readError(target))")
        }
    }

    @Test func nonFiniteWeightsAreRefusedNamingTheTensor() throws {
        // A file without checksum (written elsewhere) whose first conv weight is NaN.
        let (directory, source) = try original()
        defer { withExtendedLifetime(directory) {} }
        let url = directory.url.appendingPathComponent("nan.safetensors")
        try FileManager.default.copyItem(at: source, to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        let info = try #require(file.info("conv1.weight"))
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes.replaceSubrange((file.dataStart + info.byteRange.lowerBound + 8)..<(file.dataStart + info.byteRange.lowerBound + 12),
                              with: [0x00, 0x00, 0xC0, 0x7F])
        try Data(bytes).write(to: url)
        let checkpoint = try Checkpoint.read(from: url)
        let error = #expect(throws: StateDictError.self) { try checkpoint.makeModel() }
        #expect(error?.description == "\(url.path): tensor 'conv1.weight' holds nan at element 2; weights must be finite")
    }
}

import Foundation
@testable import MLFormats
import TestSupport
import Testing

@Suite struct AtomicFileTests {
    private struct Interrupted: Error {}

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func replacesTheFileAndLeavesNoTemporaries() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("state.bin")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(Data("new contents".utf8), to: url)
        #expect(try Data(contentsOf: url) == Data("new contents".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["state.bin"])
    }

    @Test func aFailedWriteLeavesThePreviousFileIntact() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        try AtomicFile.write(Data("previous".utf8), to: url)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: url) { writer in
                try writer.write(Data("half of the new".utf8))
                throw Interrupted()
            }
        }
        #expect(try Data(contentsOf: url) == Data("previous".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["checkpoint.safetensors"])
    }

    @Test func namesThePathWhenTheDirectoryIsMissing() {
        let error = #expect(throws: AtomicFileError.self) {
            try AtomicFile.write(Data(), to: URL(fileURLWithPath: "/nonexistent-dir/out.bin"))
        }
        #expect(error?.description.hasPrefix("/nonexistent-dir/out.bin: cannot create") == true)
    }
}

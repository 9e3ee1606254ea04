import Foundation
import TestSupport

/// A finished child process: its exit status and everything it printed (stdout and stderr together).
struct CommandRun {
    let status: Int32
    let output: String

    /// Runs `dml arguments` to completion, its output logged under `directory`.
    static func dml(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandRun {
        let log = directory.url.appendingPathComponent("dml-\(UUID().uuidString).log")
        let process = try TrainCommandTests.start(arguments, log: log)
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, output: try String(contentsOf: log, encoding: .utf8))
    }

    /// Runs `executable arguments` from the repository root to completion.
    static func tool(_ executable: String, _ arguments: [String]) throws -> CommandRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// The repository this test file belongs to.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}

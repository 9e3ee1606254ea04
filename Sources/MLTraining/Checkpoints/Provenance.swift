import Foundation
import MLEngine

/// Where a run's numbers came from: package and library versions, the source commit and the CPU.
public struct Provenance: Codable, Sendable, Equatable {
    /// This package's version.
    public static let packageVersion = "0.1.0"

    public var packageVersion: String
    /// The git commit of the source tree the binary was built from ("unknown" outside a checkout).
    public var gitCommit: String
    public var onednnVersion: String
    /// oneDNN's effective instruction set on this CPU.
    public var cpuIsa: String
    /// When the run started, ISO 8601 UTC.
    public var startedAt: String

    /// The provenance of a run starting now.
    public static func current() -> Provenance {
        Provenance(
            packageVersion: packageVersion, gitCommit: sourceCommit(), onednnVersion: Engine.libraryVersion,
            cpuIsa: Engine.cpuISA, startedAt: ISO8601DateFormatter().string(from: Date()))
    }

    /// `git rev-parse HEAD` in the source tree this file was compiled from, or "unknown".
    private static func sourceCommit() -> String {
        let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", sourceDirectory.path, "rev-parse", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "unknown"
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
    }
}

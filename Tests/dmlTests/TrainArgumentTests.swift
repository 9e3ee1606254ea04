import Foundation
@testable import MLTraining
import TestSupport
import Testing

/// Every bad value a user can give `dml train` ends it with a one-line error naming the value, before any work:
/// no run folder appears and nothing is trained.
@Suite(.serialized) struct TrainArgumentTests {
    /// The run's arguments with `replacing` flags given other values (or `--data`, `--out` elsewhere).
    static func arguments(_ tiny: TinyRun, out: URL, _ replacing: [String: String]) -> [String] {
        var arguments = tiny.trainArguments(out: out)
        for (flag, value) in replacing {
            let index = arguments.firstIndex(of: flag)!
            arguments[index + 1] = value
        }
        return arguments
    }

    /// Runs `dml train` with `replacing` and expects exactly one line of output, `Error: ` + `message`, and no
    /// run folder at `out`.
    static func expectRefused(_ replacing: [String: String], out: URL? = nil, _ message: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        let out = out ?? directory.url.appendingPathComponent("run")
        let result = try TinyRun.dml(Self.arguments(tiny, out: out, replacing))
        #expect(result.status != 0 && result.signal == nil, sourceLocation: sourceLocation)
        #expect(result.output == "Error: \(message)\n", "\(replacing): \(result.output)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("run").path),
                "\(replacing) created the run folder", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        (["--epochs": "0"], "--epochs must be at least 1, got 0"),
        (["--batch-size": "0"], "--batch-size must be at least 2, got 0"),
        (["--lr": "nan"], "--lr must be positive, got nan"),
        (["--lr": "0"], "--lr must be positive, got 0.0"),
        (["--image-size": "1"], "--image-size must be at least 16, got 1"),
    ])
    func outOfRangeValueIsRefusedBeforeAnyWork(_ replacing: [String: String], message: String) throws {
        try Self.expectRefused(replacing, message)
    }

    @Test func negativeLearningRateIsRefusedAsAValue() throws {
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        var arguments = tiny.trainArguments(out: directory.url.appendingPathComponent("run"))
        arguments.removeSubrange(arguments.firstIndex(of: "--lr")!...(arguments.firstIndex(of: "--lr")! + 1))
        let attached = try TinyRun.dml(arguments + ["--lr=-1"])
        #expect(attached.output == "Error: --lr must be positive, got -1.0\n", "\(attached.output)")
        // `--lr -1` (a negative number as a separate value) reaches the same check.
        try Self.expectRefused(["--lr": "-1"], "--lr must be positive, got -1.0")
    }

    @Test func dataFolderMissingAFileIsNamed() throws {
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        let data = directory.url.appendingPathComponent("data")
        try FileManager.default.copyItem(at: tiny.data, to: data)
        let missing = data.appendingPathComponent("t10k-labels-idx1-ubyte")
        try FileManager.default.removeItem(at: missing)
        let result = try TinyRun.dml(Self.arguments(tiny, out: directory.url.appendingPathComponent("run"), ["--data": data.path]))
        #expect(result.status != 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: ") && lines[0].contains(missing.path), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("run").path), "the run folder was left")
    }

    @Test func outFolderThatCannotBeCreatedIsNamed() throws {
        // Under a regular file: creating it fails even for root, who ignores permissions.
        let tiny = try TinyRun.shared()
        let directory = try TemporaryDirectory()
        let file = try directory.write("file", "not a folder")
        let out = file.appendingPathComponent("run")
        let result = try TinyRun.dml(Self.arguments(tiny, out: out, [:]))
        #expect(result.status != 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: cannot create the run folder \(out.path): "), "\(result.output)")
        let onFile = try TinyRun.dml(Self.arguments(tiny, out: file, [:]))
        #expect(onFile.output == "Error: cannot use \(file.path) as the run folder: it is a file\n", "\(onFile.output)")
    }
}

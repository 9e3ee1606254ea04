import Foundation
import MLFormats

/// A training run's folder: `config.json`, `metrics.jsonl` (one line per evaluation, DESIGN §6),
/// `train_log.jsonl` (one line every `log_every` iterations), `last.safetensors` and `best.safetensors`,
/// `retrieval.json` (the final evaluation's examples) and `report.html` (`RunReport`); `.lock` is locked by
/// the process writing into the folder (`RunFolderLock`).
public struct RunFolder: Sendable {
    /// The folder.
    public let url: URL

    public var configuration: URL { url.appendingPathComponent("config.json") }
    public var metrics: URL { url.appendingPathComponent("metrics.jsonl") }
    public var trainLog: URL { url.appendingPathComponent("train_log.jsonl") }
    public var lastCheckpoint: URL { url.appendingPathComponent("last.safetensors") }
    public var bestCheckpoint: URL { url.appendingPathComponent("best.safetensors") }
    public var retrieval: URL { url.appendingPathComponent("retrieval.json") }
    public var report: URL { url.appendingPathComponent("report.html") }
    public var lockFile: URL { url.appendingPathComponent(Self.lockFileName) }

    /// The name of the lock file.
    public static let lockFileName = ".lock"

    /// The files a run writes (the lock file aside).
    public var runFiles: [URL] { [configuration, metrics, trainLog, lastCheckpoint, bestCheckpoint, retrieval, report] }

    /// The folder at `url` (not created until `create()`).
    public init(_ url: URL) { self.url = url }

    /// Creates the folder (and its parents); throws naming it when that fails.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.invalidRun("cannot create the run folder \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes `config.json` atomically.
    public func write(_ configuration: TrainingConfiguration) throws {
        try AtomicFile.write(configuration.encoded(), to: self.configuration)
    }

    /// Appends `record` as one JSON line to `file` (records spell their keys in snake_case themselves).
    public func append<Record: Encodable>(_ record: Record, to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(record)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw TrainingError.invalidRun("cannot create \(file.path)")
            }
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try FaultInjection.write(line, splitAt: .logAppend) { try handle.write(contentsOf: $0) }
    }

    /// The records of a JSON-lines file written by `append`, oldest first.
    public func records<Record: Decodable>(_ type: Record.Type, in file: URL) throws -> [Record] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").enumerated().map { number, line in
            do { return try decoder.decode(type, from: Data(line.utf8)) } catch {
                throw TrainingError.invalidRun("\(file.path) line \(number + 1): \(error)")
            }
        }
    }
}

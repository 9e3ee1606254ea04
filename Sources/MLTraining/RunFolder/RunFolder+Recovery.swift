import Foundation
import MLFormats

/// What a run does to its folder before writing into it (with the folder's `RunFolderLock` held): refuse or
/// clear an earlier run, remove the temporary files of writes a killed process left, and on resume cut the
/// logs back to the checkpoint so no line appears twice.
extension RunFolder {
    /// The names of the run files present (empty for a new or empty folder).
    public func existingRunFiles() -> [String] {
        runFiles.filter { FileManager.default.fileExists(atPath: $0.path) }.map(\.lastPathComponent)
    }

    /// Readies the folder for a new run: throws when it holds a run, unless `overwrite`, which removes that
    /// run's files (other files in the folder stay).
    public func prepareNewRun(overwrite: Bool) throws {
        let existing = existingRunFiles()
        guard !existing.isEmpty else { return }
        guard overwrite else {
            throw TrainingError.invalidRun("\(url.path) already holds a run (\(existing.joined(separator: ", "))): "
                + "continue it with --resume \(url.path), or replace it with --overwrite")
        }
        for file in runFiles where FileManager.default.fileExists(atPath: file.path) {
            do { try FileManager.default.removeItem(at: file) } catch {
                throw TrainingError.invalidRun("cannot remove \(file.path) to overwrite the run: \(error.localizedDescription)")
            }
        }
    }

    /// Removes the temporary files (`.<run file>.tmp-XXXXXX`, see `AtomicFile`) that a process killed in the
    /// middle of a write left; returns their names. Only safe with the folder's lock held.
    @discardableResult
    public func removeTemporaryFiles() throws -> [String] {
        let prefixes = runFiles.map { "." + $0.lastPathComponent + ".tmp-" }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let stale = names.filter { name in prefixes.contains { name.hasPrefix($0) } }.sorted()
        for name in stale {
            do { try FileManager.default.removeItem(at: url.appendingPathComponent(name)) } catch {
                throw TrainingError.invalidRun("cannot remove the stale temporary file \(url.appendingPathComponent(name).path): \(error.localizedDescription)")
            }
        }
        return stale
    }

    /// Cuts `train_log.jsonl` back to the iterations and `metrics.jsonl` to the epochs `state` completed (a run
    /// killed after its last checkpoint logged more, which the resumed run logs again), dropping a torn last
    /// line. Each file is rewritten atomically, and only when it changes; the lines kept are kept byte for byte.
    public func rewind(to state: TrainingState) throws {
        try keepLines(of: trainLog) { (try $0.decode(LineKey.self)).iteration.map { $0 <= state.iteration } ?? true }
        try keepLines(of: metrics) { (try $0.decode(LineKey.self)).epoch <= state.epoch }
    }

    /// The keys of a log line that say where in the run it was written.
    private struct LineKey: Decodable {
        let epoch: Int
        let iteration: Int?
    }

    /// Rewrites `file` with its complete lines up to the first that `keep` refuses (nothing when the file is
    /// missing). A line that does not decode is an error naming the file and line.
    private func keepLines(of file: URL, _ keep: (LineDecoder) throws -> Bool) throws {
        guard let data = FileManager.default.contents(atPath: file.path) else { return }
        var kept = 0  // bytes of the lines kept
        var start = data.startIndex
        var number = 0
        while let end = data[start...].firstIndex(of: 0x0A) {
            number += 1
            let line = data[start..<end]
            let decoder = LineDecoder(line: line, file: file, number: number)
            guard try keep(decoder) else { break }
            kept = end + 1 - data.startIndex
            start = end + 1
        }
        guard kept < data.count else { return }
        try AtomicFile.write(data.prefix(kept), to: file)
    }

    /// One line of a JSON-lines file, decoded on demand; errors name the file and line.
    private struct LineDecoder {
        let line: Data
        let file: URL
        let number: Int

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            do { return try JSONDecoder().decode(type, from: line) } catch {
                throw TrainingError.invalidRun("\(file.path) line \(number) is not a log record: \(error)")
            }
        }
    }
}

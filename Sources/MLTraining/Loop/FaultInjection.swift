import Foundation

/// Faults that tests of crash safety provoke at chosen points of a run, because a `kill -9` at a random
/// moment rarely lands inside a write. Off unless the environment variable `DML_FAULT` is set when the
/// process starts: `DML_FAULT=point:n[,point:n…]` acts on the n-th arrival (counted from 1 in this process)
/// at each point named. Unset, each point costs one check of an optional read once.
///
/// | point | what happens on the n-th arrival |
/// |---|---|
/// | `iteration` | SIGKILL after the iteration trained and logged, before any checkpoint of it (mid-epoch) |
/// | `checkpoint-write` | SIGKILL when half of a checkpoint file (`last` or `best`) is in its temporary file |
/// | `log-append` | SIGKILL when half of a `train_log.jsonl` or `metrics.jsonl` line is appended (a torn line) |
/// | `evaluation` | SIGKILL after an evaluation appended its `metrics.jsonl` line and wrote `best`, before `last` |
/// | `nonfinite-loss` | the iteration's loss is taken as NaN (`TrainingStep`'s check of the loss sees it) |
package enum FaultInjection {
    /// A place in the run where a fault can be injected.
    package enum Point: String, CaseIterable, Sendable {
        case iteration
        case checkpointWrite = "checkpoint-write"
        case logAppend = "log-append"
        case evaluation
        case nonFiniteLoss = "nonfinite-loss"
    }

    /// Counts an arrival at `point` and acts when it is the chosen one: the kill points end the process with
    /// SIGKILL (no handler runs, no buffer is flushed); the others return true for the caller to act.
    @discardableResult
    package static func reach(_ point: Point) -> Bool {
        guard let plan else { return false }
        guard plan.arrive(at: point) else { return false }
        if point == .nonFiniteLoss { return true }
        FileHandle.standardError.write(Data("DML_FAULT: killing the process at \(point.rawValue)\n".utf8))
        kill(getpid(), SIGKILL)
        return true
    }

    /// Writes `bytes` with `write`: in one call, or — when a fault is planned at `point` — in two halves with an
    /// arrival at `point` between them, so a kill there leaves half the bytes written.
    package static func write(_ bytes: Data, splitAt point: Point, with write: (Data) throws -> Void) rethrows {
        guard let plan, plan.plans(point) else { return try write(bytes) }
        try write(bytes.prefix(bytes.count / 2))
        reach(point)
        try write(bytes.dropFirst(bytes.count / 2))
    }

    /// The faults `DML_FAULT` asks for, nil when it is unset.
    private static let plan: Plan? = ProcessInfo.processInfo.environment["DML_FAULT"].map(Plan.init(parsing:))

    /// The chosen arrival per point and the arrivals so far.
    private final class Plan: @unchecked Sendable {
        private let chosen: [Point: Int]
        private var arrivals: [Point: Int] = [:]
        private let mutex = NSLock()

        /// Parses `point:n[,point:n…]`; a malformed entry ends the process with a message (it is a test setting).
        init(parsing text: String) {
            var chosen: [Point: Int] = [:]
            for entry in text.split(separator: ",") {
                let parts = entry.split(separator: ":")
                guard parts.count == 2, let point = Point(rawValue: String(parts[0])), let n = Int(parts[1]), n >= 1 else {
                    let points = Point.allCases.map(\.rawValue).joined(separator: ", ")
                    let message = "DML_FAULT: '\(entry)' is not point:n with point one of \(points) and n ≥ 1\n"
                    FileHandle.standardError.write(Data(message.utf8))
                    exit(2)
                }
                chosen[point] = n
            }
            self.chosen = chosen
        }

        /// Whether a fault is planned at `point`.
        func plans(_ point: Point) -> Bool { chosen[point] != nil }

        /// Counts an arrival at `point`; true when it is the chosen one.
        func arrive(at point: Point) -> Bool {
            guard let n = chosen[point] else { return false }
            return mutex.withLock {
                arrivals[point, default: 0] += 1
                return arrivals[point] == n
            }
        }
    }
}

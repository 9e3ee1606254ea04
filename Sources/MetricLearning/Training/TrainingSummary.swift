import Foundation

/// What a finished (or stopped) run reports: every evaluation and the best epoch.
public struct TrainingSummary: Sendable, CustomStringConvertible {
    /// The evaluations in order (epoch 0 first).
    public let records: [EvaluationRecord]
    /// The epoch kept as `best.safetensors`.
    public let bestEpoch: Int?
    /// The run folder.
    public let folder: URL
    /// Whether the run was interrupted before its last epoch.
    public let stopped: Bool

    /// The final and best evaluations as a small table of Recall@K.
    public var description: String {
        guard let last = records.last else { return "no evaluation in \(folder.path)" }
        let ks = last.cosine.recallAtK.keys.sorted()
        var lines = ["Recall@K on the test classes (\(folder.path))" + (stopped ? ", stopped early" : ""),
                     "epoch  distance  " + ks.map { "R@\($0)".padding(toLength: 8, withPad: " ", startingAt: 0) }.joined()]
        var shown = [last]
        if let best = records.last(where: { $0.epoch == bestEpoch }), best.epoch != last.epoch { shown.append(best) }
        for record in shown {
            for (name, metrics) in [("cosine", record.cosine), ("L2", record.l2)] {
                let values = ks.map { String(format: "%-8.4f", metrics.recallAtK[$0] ?? 0) }.joined()
                let epoch = "\(record.epoch)\(record.epoch == bestEpoch ? "*" : "")"
                lines.append(epoch.padding(toLength: 7, withPad: " ", startingAt: 0)
                    + name.padding(toLength: 10, withPad: " ", startingAt: 0) + values)
            }
        }
        lines.append("* best epoch by cosine R@1")
        return lines.joined(separator: "\n")
    }
}

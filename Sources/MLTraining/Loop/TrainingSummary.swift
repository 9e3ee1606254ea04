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

    /// The final and best evaluations as a small table of Recall@K (test classes, then the held-out
    /// validation classes when there are any).
    public var description: String {
        guard let last = records.last else { return "no evaluation in \(folder.path)" }
        let ks = last.cosine.recallAtK.keys.sorted()
        let validated = last.validation != nil
        let (prefix, width) = validated ? ("test ", 19) : ("", 10)
        var lines = ["Recall@K on the test classes" + (validated ? " and the held-out validation classes" : "")
                        + " (\(folder.path))" + (stopped ? ", stopped early" : ""),
                     "epoch  " + "distance".padding(toLength: width, withPad: " ", startingAt: 0) + ks.map { "R@\($0)".padding(toLength: 8, withPad: " ", startingAt: 0) }.joined()]
        var shown = [last]
        if let best = records.last(where: { $0.epoch == bestEpoch }), best.epoch != last.epoch { shown.append(best) }
        for record in shown {
            var rows = [(prefix + "cosine", record.cosine), (prefix + "L2", record.l2)]
            if let validation = record.validation {
                rows += [("validation cosine", validation.cosine), ("validation L2", validation.l2)]
            }
            for (name, metrics) in rows {
                let values = ks.map { String(format: "%-8.4f", metrics.recallAtK[$0] ?? 0) }.joined()
                let epoch = "\(record.epoch)\(record.epoch == bestEpoch ? "*" : "")"
                lines.append(epoch.padding(toLength: 7, withPad: " ", startingAt: 0)
                    + name.padding(toLength: width, withPad: " ", startingAt: 0) + values)
            }
        }
        lines.append("* best epoch by cosine R@1" + (validated ? " on the validation classes" : ""))
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import MetricLearning

/// `dml losses`: the loss and miner registry — names, kinds, parameters and defaults — printed from the
/// registry's own table.
struct Losses: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the losses and miners --loss and --miner accept, with their parameters and defaults.")

    func run() {
        print(Self.listing())
    }

    /// The listing: each loss with its kind, summary and default miner, each miner, and under each its
    /// parameters as `key=default` with what they do.
    static func listing() -> String {
        var lines = ["Losses (--loss name[:key=value,…]):"]
        for entry in LossRegistry.losses {
            let miner = entry.defaultMiner.map { "; default miner \($0)" } ?? ""
            lines.append("  \(entry.name) (\(entry.kind.rawValue)): \(entry.summary)\(miner)")
            lines += parameterLines(entry.parameters)
        }
        lines += ["", "Miners (--miner name[:key=value,…], or none):"]
        for entry in LossRegistry.miners {
            lines.append("  \(entry.name): \(entry.summary)")
            lines += parameterLines(entry.parameters)
        }
        return lines.joined(separator: "\n")
    }

    private static func parameterLines(_ parameters: [ParameterInfo]) -> [String] {
        let width = parameters.map { $0.name.count + 1 + $0.defaultValue.count }.max() ?? 0
        return parameters.map { parameter in
            let assignment = "\(parameter.name)=\(parameter.defaultValue)"
            return "      " + assignment + String(repeating: " ", count: width - assignment.count + 2) + parameter.summary
        }
    }
}

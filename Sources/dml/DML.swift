import ArgumentParser
import MetricLearning

/// `dml`: train, evaluate and benchmark deep metric learning models.
@main
struct DML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dml",
        abstract: "Deep metric learning: train embedding networks, evaluate retrieval, benchmark kernels.",
        subcommands: [
            Info.self,
            Bench.self,
            Train.self,
            Eval.self,
            Embed.self,
            Export.self,
            Search.self,
            IndexCommand.self,
            Serve.self,
            Report.self,
            Datasets.self,
            Metrics.self,
            Losses.self,
        ]
    )

    /// Parses the command line with negative numbers attached to their options (`NegativeNumberArguments`).
    static func main() async {
        await main(NegativeNumberArguments.attached(Array(CommandLine.arguments.dropFirst())))
    }
}

import ArgumentParser
import Foundation
import MetricLearning

/// `dml datasets …`: look at datasets on disk.
struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect datasets on disk.",
        subcommands: [Inspect.self]
    )

    /// `dml datasets inspect --format F PATH`: each split's classes and images beside the complete dataset's,
    /// and the listed files that are missing. Exits with status 1 when something is missing or off.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print each split's classes and images next to the expected counts; report missing files."
        )

        @Option(help: "Layout: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: DatasetFormat

        @Argument(help: "The dataset folder (or list file). Optional for fashion-mnist (Debian's folder).")
        var path: String?

        @Option(help: "How many missing files to list per split.")
        var showMissing = 10

        func run() throws {
            let dataset = try Dataset.load(format, at: path.map { URL(fileURLWithPath: $0) })
            let report = DatasetReport(dataset)
            print("\(format.rawValue) dataset at \(dataset.root.path)")
            for split in report.splits {
                print(row(split) + (split.matchesExpected ? "" : "  <- differs from the complete dataset"))
                for file in split.missingFiles.prefix(showMissing) { print("    missing: \(file.path)") }
                if split.missingFiles.count > showMissing { print("    … and \(split.missingFiles.count - showMissing) more") }
            }
            print(report.isComplete ? "OK" : "INCOMPLETE")
            if !report.isComplete { throw ExitCode(1) }
        }

        private func row(_ split: DatasetReport.Split) -> String {
            func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
            return pad(split.name, 9)
                + pad("classes \(split.classes)" + (split.expected.map { " (expected \($0.classes))" } ?? ""), 32)
                + pad("images \(split.images)" + (split.expected.map { " (expected \($0.images))" } ?? ""), 34)
                + "missing files \(split.missingFiles.count)"
        }
    }
}

extension DatasetFormat: ExpressibleByArgument {}

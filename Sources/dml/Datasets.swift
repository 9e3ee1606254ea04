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
            print("\(format.rawValue) dataset at \(dataset.root.path)")
            let expected = format.expectedSizes
            var complete = true
            for split in dataset.splits {
                let missing = split.missingFiles()
                let want = expected[split.name]
                let matches = want.map { $0.classes == split.classCount && $0.images == split.count } ?? true
                complete = complete && matches && missing.isEmpty
                print(row(split.name, split.classCount, want?.classes, split.count, want?.images, missing.count)
                      + (matches ? "" : "  <- differs from the complete dataset"))
                for file in missing.prefix(showMissing) { print("    missing: \(file.path)") }
                if missing.count > showMissing { print("    … and \(missing.count - showMissing) more") }
            }
            print(complete ? "OK" : "INCOMPLETE")
            if !complete { throw ExitCode(1) }
        }

        private func row(_ name: String, _ classes: Int, _ wantClasses: Int?, _ images: Int, _ wantImages: Int?,
                         _ missing: Int) -> String {
            func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
            return pad(name, 9) + pad("classes \(classes)" + (wantClasses.map { " (expected \($0))" } ?? ""), 32)
                + pad("images \(images)" + (wantImages.map { " (expected \($0))" } ?? ""), 34) + "missing files \(missing)"
        }
    }
}

extension DatasetFormat: ExpressibleByArgument {}

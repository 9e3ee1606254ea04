import ArgumentParser
import Foundation
import MetricLearning

/// `dml report`: a run folder as one self-contained HTML page.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write RUN_DIR/report.html: configuration, curves, metrics and a retrieval gallery.")

    @Argument(help: "A run folder written by dml train.")
    var runDirectory: String
    @Option(help: "Output file (default: RUN_DIR/report.html).")
    var out: String?

    func run() throws {
        let folder = RunFolder(URL(fileURLWithPath: runDirectory))
        let target = try RunReport(folder: folder).write(to: out.map { URL(fileURLWithPath: $0) })
        print("report → \(target.path)")
    }
}

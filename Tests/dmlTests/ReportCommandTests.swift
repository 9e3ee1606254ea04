import Foundation
import TestSupport
import Testing

/// `dml report RUN_DIR` on a run folder of the round-1 run's configuration and training log (the fixture
/// `run_round1`) and two evaluations with distinct figures: the page shows those figures and the best epoch
/// they imply.
@Suite struct ReportCommandTests {
    /// Epoch 0 and epoch 1 (the better one by cosine R@1), each figure different from every other.
    static let metrics = """
        {"epoch":0,"cosine":{"recall_at_k":{"1":0.3125,"2":0.5625,"4":0.6875,"8":0.8125},"precision_at_1":0.3125,"r_precision":0.1875,"mean_average_precision_at_r":0.0625},"l2":{"recall_at_k":{"1":0.25,"2":0.5,"4":0.625,"8":0.75},"precision_at_1":0.25,"r_precision":0.125,"mean_average_precision_at_r":0.03125},"seconds":2}
        {"epoch":1,"cosine":{"recall_at_k":{"1":0.4375,"2":0.59375,"4":0.71875,"8":0.84375},"precision_at_1":0.4375,"r_precision":0.21875,"mean_average_precision_at_r":0.09375},"l2":{"recall_at_k":{"1":0.40625,"2":0.53125,"4":0.65625,"8":0.78125},"precision_at_1":0.40625,"r_precision":0.15625,"mean_average_precision_at_r":0.046875},"seconds":3,"train_loss":1.2345,"train_spce":2.3456,"train_accuracy":0.6543}

        """

    @Test func reportShowsTheRunsMetrics() throws {
        let directory = try TemporaryDirectory()
        for name in ["config.json", "train_log.jsonl"] { try directory.copyFixture("run_round1/\(name)", to: "run/\(name)") }
        let run = try directory.write("run/metrics.jsonl", Self.metrics).deletingLastPathComponent()
        let out = run.appendingPathComponent("page.html")
        let (status, output) = try DMLProcess.run(["report", run.path, "--out", out.path])
        #expect(status == 0 && output.contains("report → \(out.path)"), "\(output)")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("<h1>run: fashion-mnist, resnet18</h1>"))
        #expect(html.contains("Best epoch by cosine R@1: 1."))
        let rows = [
            "<tr><td>0</td><td>cosine</td><td>0.3125</td><td>0.5625</td><td>0.6875</td><td>0.8125</td><td>0.3125</td><td>0.1875</td><td>0.0625</td><td>–</td>",
            "<tr><td>0</td><td>L2</td><td>0.2500</td><td>0.5000</td><td>0.6250</td><td>0.7500</td><td>0.2500</td><td>0.1250</td><td>0.0312</td>",
            "<tr><td>1</td><td>cosine</td><td>0.4375</td><td>0.5938</td><td>0.7188</td><td>0.8438</td><td>0.4375</td><td>0.2188</td><td>0.0938</td><td>1.2345</td><td>2.3456</td><td>0.6543</td><td>3</td></tr>",
            "<tr><td>1</td><td>L2</td><td>0.4062</td><td>0.5312</td><td>0.6562</td><td>0.7812</td><td>0.4062</td><td>0.1562</td><td>0.0469</td>",
        ]
        for row in rows { #expect(html.contains(row), "missing row \(row)") }
        #expect(html.contains("<title>run</title>") && html.contains("&quot;preset&quot; : &quot;fashion-mnist&quot;"))
    }

    @Test func aFolderWithoutConfigurationIsNamed() throws {
        let directory = try TemporaryDirectory()
        let (status, output) = try DMLProcess.run(["report", directory.url.path])
        #expect(status != 0 && output.contains(directory.url.appendingPathComponent("config.json").path), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("report.html").path))
    }
}

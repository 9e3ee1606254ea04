import Foundation
@testable import MLTraining
import Testing

/// The report's charts: nice ticks that cover the data, whole legends outside the drawing.
@Suite struct ReportChartTests {
    @Test(arguments: [(0.0, 1_150.0), (0.91, 0.93), (8.1, 8.6), (1e-4, 1e-4), (0, 0), (-3, 7), (2.3e-5, 9.9e-5), (0.2, 0.2431)])
    func ticksCoverTheDataInNiceSteps(low: Double, high: Double) {
        let axis = ReportChart.ticks(low, high)
        #expect(axis.low <= low && axis.high >= high)
        #expect((3...12).contains(axis.values.count), "\(axis.values)")
        let mantissa = axis.step / pow(10, floor(log10(axis.step)))
        #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(axis.step)")
        let labels = axis.values.map(axis.label)
        #expect(Set(labels).count == labels.count, "ticks must read differently: \(labels)")
    }

    @Test func labelsUseTheDigitsOfTheStep() {
        let iterations = ReportChart.ticks(0, 1_150)
        #expect(iterations.values.map(iterations.label) == ["0", "250", "500", "750", "1000", "1250"])
        let rate = ReportChart.ticks(2.3e-5, 9.9e-5)
        #expect(rate.values.map(rate.label) == ["2.0e-05", "4.0e-05", "6.0e-05", "8.0e-05", "1.0e-04"])
        let constant = ReportChart.ticks(0.01, 0.01)
        #expect(constant.values.map(constant.label) == ["0.0090", "0.0095", "0.0100", "0.0105", "0.0110"])
        let recall = ReportChart.ticks(0.91, 0.93)
        #expect(recall.values.map(recall.label).allSatisfy { $0.hasPrefix("0.9") }, "\(recall.values.map(recall.label))")
    }

    @Test func chartHasItsOwnAxisTicksAndWholeLegend() {
        let chart = ReportChart(title: "Recall@K", xLabel: "epoch", yLabel: "recall", series: [
            .init(name: "R@1", points: [(0, 0.91), (1, 0.92)]),
            .init(name: "validation R@1 <held out>", points: [(0, 0.8), (1, 0.85)]),
        ])
        let html = chart.html
        #expect(html.components(separatedBy: "class=tick-x").count - 1 >= 3)
        #expect(html.components(separatedBy: "class=tick-y").count - 1 >= 3)
        #expect(html.contains("<span class=legend-item><i style=\"background:#d62728\"></i>validation R@1 &lt;held out&gt;</span>"))
        #expect(html.contains(">epoch</text>") && html.contains(">recall</text>"))
        #expect(ReportChart(title: "Empty", xLabel: "x", yLabel: "y", series: []).html.contains("No data."))
    }
}

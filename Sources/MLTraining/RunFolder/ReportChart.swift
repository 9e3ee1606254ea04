import Foundation

/// A line chart for `report.html`: one quantity on one y axis, as inline SVG with labelled ticks on both
/// axes (1-2-5 steps, at least three per axis) and gridlines, and its legend as HTML beneath, so a
/// series name is never clipped by the drawing's width.
struct ReportChart {
    /// A named series of (x, y) points.
    struct Series {
        let name: String
        let points: [(x: Double, y: Double)]
    }

    let title: String
    let xLabel: String
    let yLabel: String
    let series: [Series]

    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"]
    static let (width, height) = (460.0, 240.0)
    static let (left, right, top, bottom) = (62.0, 14.0, 12.0, 40.0)

    /// The chart as an HTML fragment.
    var html: String {
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
              let minY = points.map(\.y).min(), let maxY = points.map(\.y).max() else {
            return "<div class=chart><h3>\(escape(title))</h3><p>No data.</p></div>"
        }
        let xAxis = Self.ticks(minX, maxX), yAxis = Self.ticks(minY, maxY)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func x(_ value: Double) -> Double { Self.left + (value - xAxis.low) / (xAxis.high - xAxis.low) * plotWidth }
        func y(_ value: Double) -> Double { Self.top + plotHeight - (value - yAxis.low) / (yAxis.high - yAxis.low) * plotHeight }
        var svg = "<svg viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" width=\(Int(Self.width)) height=\(Int(Self.height)) xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"\(escape(title))\">"
        for value in yAxis.values {
            let position = Self.format(y(value))
            svg += "<line x1=\(Self.format(Self.left)) x2=\(Self.format(Self.width - Self.right)) y1=\(position) y2=\(position) stroke=#e5e5e5 />"
            svg += "<text class=tick-y x=\(Self.format(Self.left - 6)) y=\(position) dy=3.5 text-anchor=end font-size=10>\(yAxis.label(value))</text>"
        }
        for value in xAxis.values {
            let position = Self.format(x(value))
            svg += "<line x1=\(position) x2=\(position) y1=\(Self.format(Self.top + plotHeight)) y2=\(Self.format(Self.top + plotHeight + 4)) stroke=#999 />"
            svg += "<text class=tick-x x=\(position) y=\(Self.format(Self.top + plotHeight + 16)) text-anchor=middle font-size=10>\(xAxis.label(value))</text>"
        }
        svg += "<rect x=\(Self.format(Self.left)) y=\(Self.format(Self.top)) width=\(Self.format(plotWidth)) height=\(Self.format(plotHeight)) fill=none stroke=#999 />"
        for (number, line) in series.enumerated() {
            let path = line.points.filter { $0.x.isFinite && $0.y.isFinite }
                .map { "\(Self.format(x($0.x))),\(Self.format(y($0.y)))" }.joined(separator: " ")
            let colour = Self.colours[number % Self.colours.count]
            svg += "<polyline fill=none stroke=\"\(colour)\" stroke-width=1.6 points=\"\(path)\" />"
            if line.points.count == 1, let only = line.points.first {
                svg += "<circle cx=\(Self.format(x(only.x))) cy=\(Self.format(y(only.y))) r=2.5 fill=\"\(colour)\" />"
            }
        }
        svg += "<text class=axis-label x=\(Self.format(Self.left + plotWidth / 2)) y=\(Self.format(Self.height - 4)) text-anchor=middle font-size=11>\(escape(xLabel))</text>"
        svg += "<text class=axis-label transform=\"translate(12 \(Self.format(Self.top + plotHeight / 2))) rotate(-90)\" text-anchor=middle font-size=11>\(escape(yLabel))</text></svg>"
        let legend = series.enumerated().map { number, line in
            "<span class=legend-item><i style=\"background:\(Self.colours[number % Self.colours.count])\"></i>\(escape(line.name))</span>"
        }.joined()
        return "<div class=chart><h3>\(escape(title))</h3>\(svg)<div class=legend>\(legend)</div></div>"
    }

    /// Tick positions for a range: a 1, 2, 2.5 or 5 × 10ⁿ step giving 4 to 7 ticks, the axis widened to
    /// whole steps around the data (and around a single value when the range is empty).
    struct Axis {
        let low: Double
        let high: Double
        let step: Double
        var values: [Double] {
            let count = Int(((high - low) / step).rounded())
            return (0...count).map { low + Double($0) * step }
        }

        /// A tick's text with the digits the step needs: fixed-point down to 4 decimals, else scientific
        /// notation with enough significant digits to tell neighbouring ticks apart.
        func label(_ value: Double) -> String {
            if abs(value) < step * 1e-6 { return "0" }
            let mantissa = step / pow(10, floor(log10(step)))
            let decimals = max(0, Int((-log10(step)).rounded(.up)) + (abs(mantissa - 2.5) < 1e-9 ? 1 : 0))
            if decimals <= 4 { return String(format: "%.\(decimals)f", value) }
            let largest = max(abs(low), abs(high))
            let significant = max(2, Int(log10(largest / step).rounded(.up)) + 1)
            return String(format: "%.\(significant - 1)e", value)
        }
    }

    static func ticks(_ minimum: Double, _ maximum: Double) -> Axis {
        var (low, high) = (minimum, maximum)
        if high - low <= abs(high) * 1e-9 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        // A hair of slack so that a bound already on a tick is not pushed out by rounding (0.009 / 0.0005).
        return Axis(low: floor(low / step + 1e-9) * step, high: ceil(high / step - 1e-9) * step, step: step)
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// `text` with HTML's special characters escaped.
func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

import Foundation
import MLData
import MLEngine
import MLFormats

/// `dml report`: one self-contained HTML page for a run folder — the configuration, the curves of loss,
/// SPCE, learning rate and Recall@K as inline SVG, the final metrics, and the retrieval gallery of
/// `retrieval.json` with the images embedded as PNG (as the model saw them: the test transform).
public struct RunReport {
    public let folder: RunFolder

    public init(folder: RunFolder) { self.folder = folder }

    /// The page. Throws naming a missing or malformed run file; the gallery is left out (with a note)
    /// when `retrieval.json` or the dataset is missing.
    /// Writes the report atomically to `target` (default: the run folder's `report.html`) and returns where.
    @discardableResult
    public func write(to target: URL? = nil) throws -> URL {
        let target = target ?? folder.report
        try AtomicFile.write(Data(try html().utf8), to: target)
        return target
    }

    public func html() throws -> String {
        let configuration = try TrainingConfiguration.read(from: folder.configuration)
        let records = try folder.records(EvaluationRecord.self, in: folder.metrics)
        let log = try folder.records(TrainLogRecord.self, in: folder.trainLog)
        var body = "<h1>\(escape(folder.url.lastPathComponent)): \(escape(configuration.preset)), \(escape(configuration.model.arch.rawValue))</h1>"
        body += metricsSection(records)
        body += "<h2>Curves</h2><div class=row>"
        body += chart("Training loss and SPCE (per logged iteration)",
                      [("loss", log.map { (Double($0.iteration), $0.loss) }), ("SPCE", log.map { (Double($0.iteration), $0.spce) })])
        let accuracy = log.compactMap { record in record.accuracy.map { (Double(record.iteration), $0) } }
        if !accuracy.isEmpty { body += chart("Training accuracy of the classifier (per logged iteration)", [("accuracy", accuracy)]) }
        body += chart("Learning rate", [("lr", log.map { (Double($0.iteration), $0.lr) })])
        let ks = records.last?.cosine.recallAtK.keys.sorted() ?? []
        body += chart("Recall@K (cosine) by epoch", ks.map { k in
            ("R@\(k)", records.map { (Double($0.epoch), $0.cosine.recallAtK[k] ?? 0) })
        } + (records.contains { $0.validation != nil } ? [("validation R@1", records.compactMap { record in
            record.validation.map { (Double(record.epoch), $0.cosine.recallAtK[1] ?? 0) }
        })] : []))
        body += "</div>"
        body += gallerySection(configuration)
        body += "<h2>Configuration</h2><pre>\(escape(String(decoding: try configuration.encoded(), as: UTF8.self)))</pre>"
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escape(folder.url.lastPathComponent))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}.row{display:flex;flex-wrap:wrap;gap:1em}
            .hit{border:3px solid #2a2}.miss{border:3px solid #d22}.query{border:3px solid #888}
            figure{display:inline-block;margin:2px;text-align:center;font-size:11px}img{width:64px;height:64px;image-rendering:pixelated}
            pre{background:#f4f4f4;padding:1em;font-size:12px}</style></head><body>\(body)</body></html>
            """
    }

    /// The table of every evaluation: Recall@K, P@1, R-precision and MAP@R for cosine and L2, on the test
    /// classes and (with `--val-classes`) on the held-out validation classes.
    private func metricsSection(_ records: [EvaluationRecord]) -> String {
        guard let last = records.last else { return "<p>No evaluation yet.</p>" }
        let ks = last.cosine.recallAtK.keys.sorted()
        let best = records.max { ($0.selectionRecall, $0.epoch) < ($1.selectionRecall, $1.epoch) }
        let on = last.validation == nil ? "" : " on the validation classes"
        var html = "<h2>Metrics</h2><p>Best epoch by cosine R@1\(on): \(best.map { String($0.epoch) } ?? "–").</p><table><tr><th>epoch</th><th>distance</th>"
        html += ks.map { "<th>R@\($0)</th>" }.joined() + "<th>P@1</th><th>R-prec.</th><th>MAP@R</th><th>loss</th><th>SPCE</th><th>acc.</th><th>s</th></tr>"
        func cell(_ value: Double?) -> String { "<td>\(value.map { String(format: "%.4f", $0) } ?? "–")</td>" }
        for record in records {
            var rows = [("cosine", record.cosine), ("L2", record.l2)]
            if let validation = record.validation {
                rows += [("validation cosine", validation.cosine), ("validation L2", validation.l2)]
            }
            for (name, metrics) in rows {
                html += "<tr><td>\(record.epoch)</td><td>\(name)</td>" + ks.map { cell(metrics.recallAtK[$0]) }.joined()
                html += cell(metrics.precisionAt1) + cell(metrics.rPrecision) + cell(metrics.meanAveragePrecisionAtR)
                html += cell(record.trainLoss) + cell(record.trainSpce) + cell(record.trainAccuracy) + "<td>\(Int(record.seconds))</td></tr>"
            }
        }
        return html + "</table>"
    }

    /// Queries (grey border) with their top neighbours, green when they share the query's class.
    private func gallerySection(_ configuration: TrainingConfiguration) -> String {
        var html = "<h2>Retrieval examples</h2>"
        guard let data = try? Data(contentsOf: folder.retrieval),
              let examples = try? JSONDecoder().decode(RetrievalExamples.self, from: data) else {
            return html + "<p>No retrieval.json (written at the final evaluation).</p>"
        }
        do {
            let dataset = try Dataset.load(configuration.dataset, at: URL(fileURLWithPath: configuration.dataPath))
            let (querySplit, gallerySplit) = (try dataset.split(examples.querySplit), try dataset.split(examples.gallerySplit))
            let pipeline = configuration.pipelines.test
            let decoder = ImageDecoder()
            func thumbnail(_ split: DatasetSplit, _ index: Int, _ style: String, _ caption: String) throws -> String {
                let image: RGBImage
                switch try split.input(at: index) {
                case .encoded(let bytes, let path): image = try bytes.withUnsafeBytes { try decoder.decode($0, path: path) }
                case .grey(let width, let height, let pixels): image = RGBImage(width: width, height: height, grayscale: Array(pixels))
                case .decoded(let stored): image = stored
                }
                var generator = SeededGenerator(seed: 0)
                let png = pipeline.apply(to: image, using: &generator).pngData().base64EncodedString()
                return "<figure><img class=\(style) src=\"data:image/png;base64,\(png)\" title=\"\(escape(split.describe(index)))\"><figcaption>\(caption)</figcaption></figure>"
            }
            for query in examples.queries {
                html += "<div>" + (try thumbnail(querySplit, query.index, "query", "class \(query.label)"))
                for neighbor in query.neighbors {
                    html += try thumbnail(gallerySplit, neighbor.index, neighbor.correct ? "hit" : "miss",
                                          String(format: "%.3f", neighbor.similarity))
                }
                html += "</div>"
            }
            return html
        } catch {
            return html + "<p>Images unavailable: \(escape("\(error)"))</p>"
        }
    }

    /// A line chart of `series` (x, y points) as inline SVG, with the axes' ranges labelled.
    private func chart(_ title: String, _ series: [(name: String, points: [(Double, Double)])]) -> String {
        let (width, height, margin) = (460.0, 220.0, 40.0)
        let points = series.flatMap(\.points).filter { $0.1.isFinite }
        guard let minX = points.map(\.0).min(), let maxX = points.map(\.0).max(),
              let minY = points.map(\.1).min(), let maxY = points.map(\.1).max() else {
            return "<div><h3>\(escape(title))</h3><p>No data.</p></div>"
        }
        func x(_ value: Double) -> Double { margin + (value - minX) / max(maxX - minX, 1e-12) * (width - 2 * margin) }
        func y(_ value: Double) -> Double { height - margin - (value - minY) / max(maxY - minY, 1e-12) * (height - 2 * margin) }
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
        var svg = "<svg width=\(Int(width)) height=\(Int(height)) xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<rect x=\(margin) y=\(margin / 2) width=\(width - 2 * margin) height=\(height - 1.5 * margin) fill=none stroke=#999 />"
        for (number, line) in series.enumerated() {
            let path = line.points.filter { $0.1.isFinite }.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
            let colour = colours[number % colours.count]
            svg += "<polyline fill=none stroke=\"\(colour)\" stroke-width=1.5 points=\"\(path)\" />"
            svg += "<text x=\(width - margin + 4) y=\(Int(margin) + 14 * number) font-size=11 fill=\"\(colour)\">\(escape(line.name))</text>"
        }
        let label = { (value: Double) in String(format: abs(value) < 0.01 && value != 0 ? "%.1e" : "%.3g", value) }
        svg += "<text x=2 y=\(y(maxY) + 4) font-size=10>\(label(maxY))</text><text x=2 y=\(y(minY)) font-size=10>\(label(minY))</text>"
        svg += "<text x=\(margin) y=\(height - 8) font-size=10>\(label(minX))</text>"
        svg += "<text x=\(width - margin - 30) y=\(height - 8) font-size=10>\(label(maxX))</text></svg>"
        return "<div><h3>\(escape(title))</h3>\(svg)</div>"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

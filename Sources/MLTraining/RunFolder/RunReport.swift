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
        func perIteration(_ value: (TrainLogRecord) -> Double?) -> [(x: Double, y: Double)] {
            log.compactMap { record in value(record).map { (Double(record.iteration), $0) } }
        }
        body += ReportChart(title: "Training loss", xLabel: "iteration", yLabel: "loss",
                            series: [.init(name: "loss", points: perIteration { $0.loss })]).html
        body += ReportChart(title: "SPCE", xLabel: "iteration", yLabel: "SPCE",
                            series: [.init(name: "SPCE", points: perIteration { $0.spce })]).html
        let accuracy = perIteration { $0.accuracy }
        if !accuracy.isEmpty {
            body += ReportChart(title: "Training accuracy of the classifier", xLabel: "iteration", yLabel: "accuracy",
                                series: [.init(name: "accuracy", points: accuracy)]).html
        }
        body += ReportChart(title: "Learning rate", xLabel: "iteration", yLabel: "learning rate",
                            series: [.init(name: "learning rate", points: perIteration { $0.lr })]).html
        let ks = records.last?.cosine.recallAtK.keys.sorted() ?? []
        var recalls = ks.map { k in
            ReportChart.Series(name: "R@\(k)", points: records.map { (Double($0.epoch), $0.cosine.recallAtK[k] ?? 0) })
        }
        if records.contains(where: { $0.validation != nil }) {
            recalls.append(.init(name: "validation R@1", points: records.compactMap { record in
                record.validation.map { (Double(record.epoch), $0.cosine.recallAtK[1] ?? 0) }
            }))
        }
        body += ReportChart(title: "Recall@K (cosine) by epoch", xLabel: "epoch", yLabel: "recall", series: recalls).html
        body += "</div>"
        body += gallerySection(configuration)
        body += "<h2>Configuration</h2><pre>\(escape(String(decoding: try configuration.encoded(), as: UTF8.self)))</pre>"
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escape(folder.url.lastPathComponent))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}.row{display:flex;flex-wrap:wrap;gap:1em}
            .hit{border:3px solid #2a2}.miss{border:3px solid #d22}.query{border:3px solid #888}
            figure{display:inline-block;margin:2px;text-align:center;font-size:11px}img{width:64px;height:64px;image-rendering:pixelated}
            pre{background:#f4f4f4;padding:1em;font-size:12px}.chart h3{font-size:15px;margin:.6em 0 .2em}
            .legend{display:flex;flex-wrap:wrap;gap:4px 14px;max-width:460px;font-size:12px;margin:2px 0 0 62px}
            .legend-item{display:inline-flex;align-items:center;gap:5px;white-space:nowrap}
            .legend-item i{display:inline-block;width:14px;height:3px}</style></head><body>\(body)</body></html>
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
                html += "<div>" + (try thumbnail(querySplit, query.index, "query", escape(querySplit.className(of: query.label))))
                for neighbor in query.neighbors {
                    let caption = escape(gallerySplit.className(of: neighbor.label)) + String(format: "<br>%.3f", neighbor.similarity)
                    html += try thumbnail(gallerySplit, neighbor.index, neighbor.correct ? "hit" : "miss", caption)
                }
                html += "</div>"
            }
            return html
        } catch {
            return html + "<p>Images unavailable: \(escape("\(error)"))</p>"
        }
    }
}

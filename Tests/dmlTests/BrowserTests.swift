import Foundation
import MLData
import MLServe
import MLTraining
import TestSupport
import Testing

/// Debian's chromium, driven over WebDriver by chromedriver, uses the page `dml serve` serves and reads a
/// run report. Screenshots go to `$DML_SCREENSHOTS` (default /tmp/dml-screenshots).
@Suite(.serialized, .timeLimit(.minutes(10))) struct BrowserTests {
    static var screenshots: URL {
        let url = URL(fileURLWithPath: ProcessInfo.processInfo.environment["DML_SCREENSHOTS"] ?? "/tmp/dml-screenshots")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func pageUploadsAnImageAndShowsItsNeighbours() throws {
        let directory = try TemporaryDirectory()
        let (index, checkpoint, data) = try IndexCommandTests.buildIndex(in: directory)
        let query = try IndexCommandTests.queryImage(27, data: data, in: directory)
        let server = try CommandRunner.Server(["--index", index.path, "--checkpoint", checkpoint.path])
        try Self.usePage(port: server.port, query: query)
        #expect(server.stop() == 0, "\(server.output)")
    }

    /// The page's checks, with a browser that closes before the server stops.
    static func usePage(port: Int, query: URL) throws {
        let browser = try WebDriver()
        try browser.open("http://127.0.0.1:\(port)/")
        try browser.wait(until: "return document.querySelectorAll('#facts .fact').length >= 4 && document.querySelectorAll('#picker img').length == 12")
        let facts = try browser.execute("return document.getElementById('facts').textContent") as? String ?? ""
        #expect(facts.contains("60 items") && facts.contains("EXACT index"), "\(facts)")

        // Upload through the file input; wait for 10 results whose images have loaded.
        try browser.type(query.path, into: "#file")
        try browser.wait(until: """
            const cards = [...document.querySelectorAll('#results .result')];
            return cards.length == 10 && cards.every(c => { const i = c.querySelector('img'); return i.complete && i.naturalWidth > 0; });
            """)
        let results = try browser.execute("""
            return [...document.querySelectorAll('#results .result')].map(c => [c.dataset.id, c.querySelector('.score').textContent,
                c.querySelector('.class').textContent]);
            """) as? [[String]] ?? []
        #expect(results.count == 10)
        #expect(results.first?.first == "27", "a gallery image finds itself first: \(results)")
        #expect(results.allSatisfy { Float($0[1]).map { (-1...1.0001).contains($0) } == true }, "\(results)")
        #expect(results.allSatisfy { FashionMNIST.classNames.contains($0[2]) }, "\(results)")
        let queryShown = try browser.execute("const i = document.querySelector('#query img'); return i.complete && i.naturalWidth > 0") as? Bool
        #expect(queryShown == true)
        try browser.screenshot().write(to: screenshots.appendingPathComponent("page-upload.png"))

        // Pick a gallery item: its neighbours are marked hit or miss by class.
        try browser.click("#picker button")
        try browser.wait(until: "return document.querySelectorAll('#results .result.hit, #results .result.miss').length == 10")
        let marked = try browser.execute("""
            const q = document.querySelector('#query .what').textContent;
            return [...document.querySelectorAll('#results .result')].every(c =>
                c.classList.contains('hit') == (c.querySelector('.class').textContent == q));
            """) as? Bool
        #expect(marked == true)
        try browser.screenshot().write(to: screenshots.appendingPathComponent("page-item.png"))
        print("browser screenshots in \(screenshots.path)")
    }

    @Test func reportLegendsFitAndAxesHaveTicks() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let run = directory.url.appendingPathComponent("run")
        let trained = try CommandRunner.dml(TrainCommandTests.trainArguments(data: directory.url, epochs: 2) + ["--out", run.path])
        #expect(trained.status == 0, "\(trained.text)")
        let browser = try WebDriver(width: 1200, height: 1000)
        try browser.open(RunFolder(run).report.absoluteString)
        try browser.wait(until: "return document.querySelectorAll('.chart svg').length >= 4")
        let charts = try browser.execute("""
            return [...document.querySelectorAll('.chart')].map(chart => ({
                title: chart.querySelector('h3').textContent,
                xTicks: chart.querySelectorAll('.tick-x').length,
                yTicks: chart.querySelectorAll('.tick-y').length,
                legends: [...chart.querySelectorAll('.legend-item')].map(item => {
                    const box = item.getBoundingClientRect(), parent = item.parentElement.getBoundingClientRect();
                    return { text: item.textContent, fits: item.scrollWidth <= item.clientWidth + 0.5
                             && box.right <= parent.right + 0.5 && box.left >= parent.left - 0.5 && box.width > 0 };
                }),
            }));
            """) as? [[String: Any]] ?? []
        #expect(charts.count >= 4, "\(charts)")
        for chart in charts {
            let title = chart["title"] as? String ?? "?"
            #expect((chart["xTicks"] as? Int ?? 0) >= 3 && (chart["yTicks"] as? Int ?? 0) >= 3, "\(title): \(chart)")
            let legends = chart["legends"] as? [[String: Any]] ?? []
            #expect(!legends.isEmpty && legends.allSatisfy { $0["fits"] as? Bool == true }, "\(title): \(legends)")
        }
        let titles = charts.compactMap { $0["title"] as? String }
        #expect(titles.contains("Training loss") && titles.contains("SPCE"), "loss and SPCE have axes of their own: \(titles)")
        // Retrieval examples name the classes (the tiny test split holds classes 5–9: Sandal … Ankle boot).
        let captions = try browser.execute("return [...document.querySelectorAll('figcaption')].map(f => f.textContent)") as? [String] ?? []
        #expect(!captions.isEmpty && captions.allSatisfy { caption in FashionMNIST.classNames.contains { caption.hasPrefix($0) } },
                "\(captions)")
        try browser.screenshot().write(to: Self.screenshots.appendingPathComponent("report.png"))
    }
}

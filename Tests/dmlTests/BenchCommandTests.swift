import Foundation
import MLData
import MLEngine
import MLEvaluation
import MLLosses
import TestSupport
import Testing

/// `dml bench losses|knn|data|loader` at tiny sizes: the JSON they print has the documented keys, echoes the
/// sizes asked for, counts what was done and times it with positive figures.
@Suite struct BenchCommandTests {
    /// The one JSON object `dml arguments` prints (exit status 0).
    private func json(_ arguments: [String]) throws -> [String: Any] {
        let (status, output) = try DMLProcess.run(arguments)
        #expect(status == 0, "\(output)")
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(output)")
    }

    @Test func losses() throws {
        let report = try json(["bench", "losses", "--iterations", "1", "--threads", "1", "--json"])
        let entries = try #require(report["losses"] as? [[String: Any]])
        #expect(entries.compactMap { $0["name"] as? String } == LossRegistry.losses.map(\.name))
        for entry in entries {
            #expect(Set(entry.keys) == ["name", "ms"], "\(entry)")
            #expect((entry["ms"] as? Double ?? 0) > 0, "\(entry)")
        }
    }

    @Test func knn() throws {
        let report = try json(["bench", "knn", "--n", "2000", "--dim", "32", "--k", "10", "--class-size", "4", "--threads", "1", "--json"])
        #expect(Set(report.keys) == ["n", "dim", "k", "threads", "search_seconds", "search_cpu_seconds", "metrics_seconds",
                                     "total_seconds", "peak_rss_bytes", "neighbors_checksum"])
        #expect(report["n"] as? Int == 2000 && report["dim"] as? Int == 32 && report["k"] as? Int == 10 && report["threads"] as? Int == 1)
        let search = report["search_seconds"] as? Double ?? 0, total = report["total_seconds"] as? Double ?? 0
        #expect(search > 0 && total >= search && (report["peak_rss_bytes"] as? Int ?? 0) > 0, "\(report)")
        // The neighbours it timed are the library's exact search on the documented data: 2000 × 32 uniform
        // values in [-1, 1) from SeededGenerator(seed: 0), each row scaled to unit length, dot product (searched
        // here on this process's threads: the blocked sgemm sums each dot product in the same order on any count).
        var generator = SeededGenerator(seed: 0)
        var values = generator.uniform(count: 2000 * 32)
        for row in 0..<2000 {
            let slice = (row * 32)..<((row + 1) * 32)
            let norm = slice.reduce(Float(0)) { $0 + values[$1] * values[$1] }.squareRoot()
            for i in slice { values[i] /= norm }
        }
        let neighbors = try ExactSearch.neighbors(queries: Tensor(shape: [2000, 32], values: values), k: 10, distance: .dot)
        #expect(report["neighbors_checksum"] as? String == neighbors.fingerprint, "\(report)")
    }

    @Test func dataNamesTheFileItCannotDecode() throws {
        let directory = try TemporaryDirectory()
        for number in 0..<8 { try directory.write("images/\(number).jpg", bytes: try TestPicture.jpeg(number)) }
        let bad = try directory.write("images/z-bad.jpg", "not a JPEG")
        let report = try json(["bench", "data", "--images", directory.url.appendingPathComponent("images").path, "--json"])
        #expect(Set(report.keys) == ["images", "workers", "images_per_second", "cpu_seconds_per_image", "failed"])
        #expect(report["images"] as? Int == 8 && report["workers"] as? Int == 1, "\(report)")
        #expect(report["failed"] as? [String] == [bad.path], "\(report)")
        #expect((report["images_per_second"] as? Double ?? 0) > 0 && (report["cpu_seconds_per_image"] as? Double ?? 0) > 0, "\(report)")
    }

    @Test func loaderLoadsTheTrainingSplitInBatches() throws {
        let directory = try TemporaryDirectory()
        let data = try PaperDatasetLayout.write(.cub, trainImages: [3, 3, 2], testImages: [1], in: directory, subfolder: "data")
        // One epoch: 8 images in batches of 3, the partial last batch dropped; or only the batches asked for.
        for (batches, images) in [(nil, 6), (1, 3)] as [(Int?, Int)] {
            let report = try json(["bench", "loader", "--format", "cub", data.path, "--batch", "3", "--json"]
                                  + (batches.map { ["--batches", String($0)] } ?? []))
            #expect(Set(report.keys) == ["images", "workers", "images_per_second", "cpu_seconds_per_image", "failed"])
            #expect(report["images"] as? Int == images, "\(report)")
            #expect(report["failed"] as? [String] == [] && (report["images_per_second"] as? Double ?? 0) > 0, "\(report)")
        }
    }
}

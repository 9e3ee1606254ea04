import Foundation
import TestSupport
import Testing

/// `dml search --gallery`: the neighbours of a query image are those a brute-force search over the gallery
/// file finds here, in Double, from the library's embedding of the same image.
@Suite struct SearchCommandTests {
    /// One row of `dml search --json`.
    struct Row: Decodable {
        let rank: Int
        let id: Int
        let label: Int
        let score: Float
        let path: String
    }

    @Test(arguments: ["cosine", "l2"])
    func searchReturnsTheBruteForceNeighbours(distance: String) throws {
        let gallery = try SeededGallery.shared()
        let query = 4, k = 5
        let image = try #require(gallery.split.file(at: query))
        let (status, output) = try DMLProcess.run(["search", "--checkpoint", gallery.checkpoint.path, "--gallery",
                                                   gallery.embeddingsFile.path, "--image", image.path, "-k", String(k),
                                                   "--distance", distance, "--json"])
        #expect(status == 0, "\(output)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(output.utf8))

        let q = gallery.row(query).map(Double.init)
        let scores = (0..<gallery.embeddings.count).map { item -> Double in
            let x = gallery.row(item).map(Double.init)
            let dot = zip(q, x).map { $0 * $1 }.reduce(0, +)
            let (qq, xx) = (q.map { $0 * $0 }.reduce(0, +), x.map { $0 * $0 }.reduce(0, +))
            return distance == "cosine" ? dot / (qq * xx).squareRoot() : qq - 2 * dot + xx
        }
        let nearest = scores.indices.sorted { a, b in
            scores[a] != scores[b] ? (distance == "cosine") == (scores[a] > scores[b]) : a < b
        }.prefix(k)
        #expect(rows.map(\.id) == Array(nearest), "\(output)")
        #expect(rows.map(\.rank) == Array(1...k))
        #expect(rows.first?.path == image.path)
        let scale = scores.map { abs($0) }.max() ?? 0
        for (row, item) in zip(rows, nearest) {
            #expect(abs(Double(row.score) - scores[item]) <= 1e-4 * max(1, scale), "\(item): \(row.score) vs \(scores[item])")
            #expect(row.label == gallery.embeddings.labels[item])
        }
    }

    @Test func aMissingGalleryIsNamed() throws {
        let gallery = try SeededGallery.shared()
        let missing = gallery.data.appendingPathComponent("no-gallery.safetensors")
        let image = try #require(gallery.split.file(at: 0))
        let (status, output) = try DMLProcess.run(["search", "--checkpoint", gallery.checkpoint.path, "--gallery", missing.path,
                                                   "--image", image.path])
        #expect(status != 0 && output.contains(missing.path), "\(output)")
    }
}

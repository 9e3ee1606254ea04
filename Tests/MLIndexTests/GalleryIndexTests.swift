import Foundation
import MLEngine
import MLEvaluation
@testable import MLIndex
import TestSupport
import Testing

@Suite struct GalleryIndexTests {
    static let model = IndexManifestTests.model

    /// `count` mixture points of dimension 16 (40 centres), named after their centre modulo 7.
    static func items(_ range: Range<Int>, root: String = "/gallery") -> IndexItems {
        let (vectors, centres) = GaussianMixture(dimension: 16, centres: 40, seed: 3).points(range)
        return IndexItems(embeddings: vectors, classNames: centres.map { "class \($0 % 7)" },
                          source: .files(root: root, paths: range.map { "c/\($0).png" }))
    }

    @Test func exactIndexSearchesLikeExactSearchWithTiesToTheLowerId() throws {
        let directory = try TemporaryDirectory()
        var items = Self.items(0..<300)
        // Item 250 duplicates item 17: for a query equal to them both tie, and 17 must come first.
        items.embeddings.replaceSubrange((250 * 16)..<(251 * 16), with: items.embeddings[(17 * 16)..<(18 * 16)])
        let url = directory.url.appendingPathComponent("index")
        try GalleryIndex.create(at: url, settings: .init(kind: .exact), model: Self.model, items: items, threads: 2)
        let index = try GalleryIndex(contentsOf: url)
        #expect(index.count == 300 && index.dimension == 16)
        let queries = Array(index.embedding(of: 17)) + Array(index.embedding(of: 5))
        let found = try index.search(queries, k: 10, threads: 2)
        let reference = try ExactSearch.neighbors(queries: Tensor(shape: [2, 16], values: queries),
                                                  gallery: Tensor(shape: [300, 16], values: items.embeddings), k: 10, distance: .cosine)
        for row in 0..<2 {
            #expect(found[row].map(\.id) == reference.indices(of: row).map { Int($0) })
            #expect(found[row].map(\.score) == Array(reference.values[(row * 10)..<((row + 1) * 10)]))
        }
        #expect(Array(found[0].prefix(2).map(\.id)) == [17, 250])
        // A gallery item's own search leaves it out; its duplicate comes first.
        let excluded = try index.search(Array(index.embedding(of: 17)), k: 10, excluding: [17], threads: 2)
        #expect(excluded[0].count == 10 && excluded[0][0].id == 250 && !excluded[0].contains { $0.id == 17 })
        let eleven = try index.search(Array(index.embedding(of: 17)), k: 11, threads: 2)[0]
        #expect(excluded[0].map(\.id) == eleven.map(\.id).filter { $0 != 17 })
    }

    @Test(arguments: [IndexKind.hnsw, .ivf])
    func approximateIndexFindsAlmostAllExactNeighbours(kind: IndexKind) throws {
        let directory = try TemporaryDirectory()
        let items = Self.items(0..<2_000)
        let url = directory.url.appendingPathComponent("index")
        let settings = GalleryIndex.Settings(kind: kind, hnsw: HNSWParameters(m: 16, efConstruction: 100, efSearch: 64),
                                             ivf: IVFParameters(lists: 20, probes: 6))
        let manifest = try GalleryIndex.create(at: url, settings: settings, model: Self.model, items: items, threads: 2)
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent(manifest.annFile).path))
        let index = try GalleryIndex(contentsOf: url)
        let queries = GaussianMixture(dimension: 16, centres: 40, seed: 3).points(5_000..<5_100).vectors
        let found = try index.search(queries, k: 10, threads: 2)
        let exact = try ExactSearch.neighbors(queries: Tensor(shape: [100, 16], values: queries),
                                              gallery: Tensor(shape: [2_000, 16], values: items.embeddings), k: 10, distance: .cosine)
        var hits = 0
        for row in 0..<100 {
            let truth = Set(exact.indices(of: row).map { Int($0) })
            hits += found[row].filter { truth.contains($0.id) }.count
            // Scores are the cosine similarities of the ids found, to float rounding.
            for hit in found[row] {
                let cosine = zip(queries[(row * 16)..<((row + 1) * 16)], index.embedding(of: hit.id)).map { Double($0 * $1) }.reduce(0, +)
                    / (Self.norm(queries[(row * 16)..<((row + 1) * 16)]) * Self.norm(index.embedding(of: hit.id)))
                #expect(abs(Double(hit.score) - cosine) < 1e-5, "\(kind) query \(row) item \(hit.id): \(hit.score) vs \(cosine)")
            }
            #expect(zip(found[row], found[row].dropFirst()).allSatisfy { $0.score >= $1.score })
        }
        // recall@10 of these settings measured 0.99 (hnsw) and 0.97 (ivf); 0.9 fails a broken structure.
        #expect(Double(hits) / 1_000 >= 0.9, "\(kind) recall@10 \(Double(hits) / 1_000)")
    }

    static func norm(_ values: ArraySlice<Float>) -> Double { values.map { Double($0 * $0) }.reduce(0, +).squareRoot() }

    @Test(arguments: [IndexKind.exact, .hnsw, .ivf])
    func appendContinuesIdsAndKeepsTheOldIndexOnFailure(kind: IndexKind) throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("index")
        let settings = GalleryIndex.Settings(kind: kind, ivf: IVFParameters(lists: 8, probes: 8))
        try GalleryIndex.create(at: url, settings: settings, model: Self.model, items: Self.items(0..<600), threads: 2)
        let before = try Data(contentsOf: GalleryIndex.manifestURL(in: url))

        // A different model is refused and changes nothing.
        var other = Self.model
        other.checkpointCRC32 = "ffffffff"
        let error = #expect(throws: IndexError.self) {
            try GalleryIndex.append(Self.items(600..<650), to: url, model: other, threads: 2)
        }
        #expect(error?.reason.contains("tensor data CRC-32 ffffffff") == true, "\(String(describing: error))")
        // So is a different dimension.
        #expect(throws: IndexError.self) {
            try GalleryIndex.append(IndexItems(embeddings: [1, 2, 3], classNames: ["x"], source: .vectors(file: "/v", count: 1)),
                                    to: url, model: Self.model, threads: 2)
        }
        #expect(try Data(contentsOf: GalleryIndex.manifestURL(in: url)) == before)

        let manifest = try GalleryIndex.append(Self.items(600..<650), to: url, model: Self.model, threads: 2)
        #expect(manifest.count == 650 && manifest.generation == 2 && manifest.sources.count == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        #expect(files == (kind == .exact ? ["index.json", "items.2.safetensors"] : ["ann.2.bin", "index.json", "items.2.safetensors"]))
        let index = try GalleryIndex(contentsOf: url)
        let added = Self.items(600..<650)
        #expect(Array(index.embedding(of: 620)) == Array(added.embeddings[(20 * 16)..<(21 * 16)]))
        #expect(index.className(of: 620) == added.classNames[20])
        // The appended item is found first for its own vector.
        let found = try index.search(Array(index.embedding(of: 620)), k: 3, threads: 1)
        #expect(found[0].first?.id == 620)
    }

    @Test func refusesDataFilesThatDisagreeWithTheManifest() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("index")
        let manifest = try GalleryIndex.create(at: url, settings: .init(kind: .hnsw), model: Self.model,
                                               items: Self.items(0..<50), threads: 1)
        // A second build into the same directory is refused.
        #expect(throws: IndexError.self) {
            try GalleryIndex.create(at: url, settings: .init(kind: .exact), model: Self.model, items: Self.items(0..<5), threads: 1)
        }
        // An index.json claiming more items than the files hold.
        var edited = manifest
        edited.count = 51
        edited.sources[0].count = 51
        edited.sources[0].paths?.append("c/extra.png")
        try edited.encoded().write(to: GalleryIndex.manifestURL(in: url))
        let error = #expect(throws: IndexError.self) { try GalleryIndex(contentsOf: url) }
        #expect(error?.path == url.appendingPathComponent("items.1.safetensors").path)
        #expect(error?.reason.contains("[51, 16]") == true, "\(String(describing: error))")
        // A directory without index.json.
        #expect(throws: IndexError(path: directory.url.path, "not an index directory (no readable index.json)")) {
            try GalleryIndex(contentsOf: directory.url)
        }
    }
}

@testable import MLEngine
@testable import MLEvaluation
import TestSupport
import Testing

@Suite("ExactSearch")
struct ExactSearchTests {
    /// Our list against a reference list of the same k: values agree position by position, and any index
    /// that differs is tied (within `tolerance`) with the k-th value — "the same neighbours up to ties".
    func expectSameUpToTies(
        _ ours: NeighborList, indices: [Double], values: [Double], tolerance: Double, _ what: String
    ) {
        let k = ours.k
        for row in 0..<ours.queryCount {
            let reference = Set(indices[(row * k)..<((row + 1) * k)].map(Int.init))
            for position in 0..<k {
                let at = row * k + position
                let scale = max(1, abs(values[at]))
                #expect(abs(Double(ours.values[at]) - values[at]) <= tolerance * scale,
                        "\(what): row \(row) position \(position): value \(ours.values[at]), reference \(values[at])")
                let index = Int(ours.indices[at])
                if !reference.contains(index) {
                    let last = values[row * k + k - 1]
                    #expect(abs(Double(ours.values[at]) - last) <= tolerance * max(1, abs(last)),
                            "\(what): row \(row) has neighbour \(index) (value \(ours.values[at])) not in the reference")
                }
            }
        }
    }

    @Test("matches faiss IndexFlatIP / IndexFlatL2 in both modes, across block sizes",
          arguments: [SearchDistance.cosine, .dot, .l2], [7, 64, 1024])
    func matchesFaiss(distance: SearchDistance, blockSize: Int) throws {
        let fixture = try FixtureFile("knn_\(distance.rawValue).json")
        let data = try RetrievalFixtureData(fixture)
        let k: Int = try fixture.meta("k")
        let loo = try ExactSearch.neighbors(queries: data.all, k: k, distance: distance, blockSize: blockSize)
        expectSameUpToTies(loo, indices: fixture["loo_indices"].values, values: fixture["loo_values"].values,
                           tolerance: 1e-5, "\(distance) leave-one-out, block \(blockSize)")
        let qg = try ExactSearch.neighbors(
            queries: data.queries, gallery: data.gallery, k: k, distance: distance, blockSize: blockSize)
        expectSameUpToTies(qg, indices: fixture["qg_indices"].values, values: fixture["qg_values"].values,
                           tolerance: 1e-5, "\(distance) query/gallery, block \(blockSize)")
    }

    @Test("the block size does not change the neighbours", arguments: [SearchDistance.cosine, .dot, .l2])
    func blockSizeInvariance(distance: SearchDistance) throws {
        let data = try RetrievalFixtureData(try FixtureFile("knn_cosine.json"))
        let reference = try ExactSearch.neighbors(queries: data.all, k: 40, distance: distance, blockSize: 1024)
        for blockSize in [1, 7, 64, 100] {
            let result = try ExactSearch.neighbors(queries: data.all, k: 40, distance: distance, blockSize: blockSize)
            #expect(result.indices == reference.indices, "\(distance) leave-one-out with block \(blockSize)")
        }
        let gallery = try ExactSearch.neighbors(
            queries: data.queries, gallery: data.gallery, k: 40, distance: distance, blockSize: 1024)
        let small = try ExactSearch.neighbors(
            queries: data.queries, gallery: data.gallery, k: 40, distance: distance, blockSize: 13)
        #expect(small.indices == gallery.indices, "\(distance) query/gallery with block 13")
    }

    @Test("a prepared gallery gives the lists of a plain search", arguments: [SearchDistance.cosine, .dot, .l2])
    func preparedGallery(distance: SearchDistance) throws {
        let data = try RetrievalFixtureData(try FixtureFile("knn_cosine.json"))
        let plain = try ExactSearch.neighbors(queries: data.queries, gallery: data.gallery, k: 25, distance: distance)
        let gallery = try ExactSearch.Gallery(data.gallery, distance: distance, name: "fixture gallery")
        #expect(gallery.count == data.gallery.shape[0] && gallery.dimension == data.dimension)
        for _ in 0..<2 {  // and again: searching does not change the prepared gallery
            let prepared = try ExactSearch.neighbors(queries: data.queries, in: gallery, k: 25)
            #expect(prepared.indices == plain.indices && prepared.values == plain.values, "\(distance)")
        }
        let error = #expect(throws: EvaluationError.self) {
            try ExactSearch.neighbors(queries: data.queries, in: gallery, k: gallery.count + 1)
        }
        #expect(error?.description.contains("fixture gallery") == true)
    }

    /// Float64 cosine similarity of rows a and b.
    func cosine(_ data: RetrievalFixtureData, _ a: Int, _ b: Int, _ other: [Float]? = nil) -> Double {
        let d = data.dimension
        let x = data.values[(a * d)..<((a + 1) * d)].map(Double.init)
        let y = (other ?? data.values)[(b * d)..<((b + 1) * d)].map(Double.init)
        let dot = zip(x, y).map(*).reduce(0, +)
        let norms = (x.map { $0 * $0 }.reduce(0, +) * y.map { $0 * $0 }.reduce(0, +)).squareRoot()
        return dot / norms
    }

    @Test("k = every other item: a full ranking equal to a float64 sort, ties by lower index")
    func fullRanking() throws {
        let data = try RetrievalFixtureData(try FixtureFile("knn_cosine.json"))
        let n = data.count
        let result = try ExactSearch.neighbors(queries: data.all, k: n - 1, distance: .cosine, blockSize: 64)
        for row in 0..<n {
            let ours = result.indices(of: row).map(Int.init)
            #expect(Set(ours) == Set((0..<n).filter { $0 != row }), "row \(row) is not a permutation of the others")
            let reference = (0..<n).filter { $0 != row }.map { cosine(data, row, $0) }.sorted(by: >)
            for (position, index) in ours.enumerated() {
                let exact = cosine(data, row, index)
                #expect(abs(exact - reference[position]) <= 1e-5,
                        "row \(row) position \(position): neighbour \(index) scores \(exact), reference \(reference[position])")
                #expect(abs(Double(result.values[row * (n - 1) + position]) - exact) <= 1e-5)
                if position > 0 {
                    let previous = ours[position - 1]
                    if abs(cosine(data, row, previous) - exact) == 0 {
                        #expect(previous < index, "row \(row): exact tie \(previous), \(index) not by lower index")
                    }
                }
            }
        }
        let gallery = try ExactSearch.neighbors(
            queries: data.queries, gallery: data.gallery, k: n - data.queryCount, distance: .cosine, blockSize: 64)
        #expect(gallery.indices(of: 0).count == n - data.queryCount)
        #expect(Set(gallery.indices(of: 0)).count == n - data.queryCount)
    }

    @Test("duplicates across block boundaries are ranked by index")
    func duplicatesByIndex() throws {
        let data = try RetrievalFixtureData(try FixtureFile("knn_cosine.json"))
        for distance in SearchDistance.allCases {
            let result = try ExactSearch.neighbors(queries: data.all, k: data.count - 1, distance: distance, blockSize: 64)
            for row in [0, 1, 100, 259] {
                let ours = result.indices(of: row).map(Int.init)
                for (low, high) in [(10, 70), (63, 64), (127, 128), (13, 150)] where row != low && row != high {
                    let (first, second) = (ours.firstIndex(of: low) ?? -1, ours.firstIndex(of: high) ?? -1)
                    #expect(second == first + 1, "\(distance) row \(row): duplicates \(low), \(high) at \(first), \(second)")
                }
            }
        }
    }

    @Test("bad input names the source and the problem")
    func badInput() throws {
        let good = Tensor(shape: [4, 3], values: (0..<12).map(Float.init))
        #expect(throws: EvaluationError("q.npy", "embedding 1 has a non-finite value nan at column 2")) {
            try ExactSearch.neighbors(queries: Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, .nan]),
                                      k: 1, distance: .cosine, queryName: "q.npy")
        }
        #expect(throws: EvaluationError("g.npy", "embeddings have dimension 2, but q.npy has 3")) {
            try ExactSearch.neighbors(queries: good, gallery: Tensor(shape: [5, 2]), k: 1, distance: .l2,
                                      queryName: "q.npy", galleryName: "g.npy")
        }
        #expect(throws: EvaluationError("g.npy", "k = 6 is out of range: the gallery has 5 embeddings")) {
            try ExactSearch.neighbors(queries: good, gallery: Tensor(shape: [5, 3]), k: 6, distance: .dot,
                                      queryName: "q.npy", galleryName: "g.npy")
        }
        #expect(throws: EvaluationError("q.npy", "k = 4 is out of range: leave-one-out over 4 embeddings has 3 neighbours per query")) {
            try ExactSearch.neighbors(queries: good, k: 4, distance: .dot, queryName: "q.npy")
        }
        #expect(throws: EvaluationError("e.npy", "3 labels for 4 embeddings")) {
            try LabeledEmbeddings(values: good, labels: [0, 1, 2], name: "e.npy")
        }
        #expect(throws: EvaluationError("e.npy", "embedding 0 has a non-finite value inf at column 0")) {
            try LabeledEmbeddings(values: Tensor(shape: [1, 1], values: [.infinity]), labels: [0], name: "e.npy")
        }
    }
}

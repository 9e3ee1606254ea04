import Foundation
@testable import MLIndex
import TestSupport
import Testing

/// The CANN shim: every backend round-trips through its file, and library errors arrive as messages.
@Suite struct ApproximateIndexTests {
    @Test(arguments: ApproximateIndex.Backend.allCases)
    func writesAndReadsBackTheSameStructure(backend: ApproximateIndex.Backend) throws {
        let directory = try TemporaryDirectory()
        let vectors = GaussianMixture(dimension: 24, centres: 10, seed: 1).points(0..<500).vectors
        let build = backend == .faissIVF ? ApproximateIndex.Build(ivf: IVFParameters(lists: 5, probes: 5))
                                         : ApproximateIndex.Build(hnsw: HNSWParameters(m: 8, efConstruction: 40))
        let index = try ApproximateIndex(backend, dimension: 24, distance: .cosine, build: build, capacity: 100)
        try index.add(vectors, threads: 2)
        #expect(index.count == 500)
        let file = directory.url.appendingPathComponent("ann.bin")
        try index.write(to: file)
        let read = try ApproximateIndex(backend, dimension: 24, distance: .cosine, contentsOf: file)
        #expect(read.count == 500)
        let queries = Array(vectors[0..<(24 * 3)])
        let before = try index.search(queries, k: 5, effort: 500, threads: 1)
        #expect(try read.search(queries, k: 5, effort: 500, threads: 2) == before)
        // Each query is a stored vector: it comes first, at similarity 1.
        for row in 0..<3 {
            #expect(before[row].first?.id == row && abs((before[row].first?.score ?? 0) - 1) < 1e-5, "\(backend): \(before[row])")
        }
        // Reading with another dimension than the file's is refused with the library's reason.
        let error = #expect(throws: IndexError.self) {
            try ApproximateIndex(backend, dimension: 25, distance: .cosine, contentsOf: file)
        }
        #expect(error?.reason.contains("24") == true, "\(String(describing: error))")
    }

    @Test func libraryFailuresBecomeErrors() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/ann.bin")
        #expect(throws: IndexError.self) { try ApproximateIndex(.hnswlib, dimension: 4, distance: .l2, contentsOf: missing) }
        #expect(throws: IndexError.self) { try ApproximateIndex(.faissIVF, dimension: 4, distance: .l2, contentsOf: missing) }
        // IVF needs at least as many training vectors as lists.
        let ivf = try ApproximateIndex(.faissIVF, dimension: 4, distance: .l2, build: .init(ivf: IVFParameters(lists: 50, probes: 1)), capacity: 0)
        let error = #expect(throws: IndexError.self) { try ivf.add([Float](repeating: 1, count: 4 * 10), threads: 1) }
        #expect(error?.reason.contains("cannot add 10 vectors") == true, "\(String(describing: error))")
    }
}

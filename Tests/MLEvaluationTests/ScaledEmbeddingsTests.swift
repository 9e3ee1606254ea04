@testable import MLEngine
@testable import MLEvaluation
import TestSupport
import Testing

/// Search, metrics and clustering rank embeddings the same at any scale (issue 16: cosine R@1 was 0.2
/// instead of 0.3 at 1e30 and 1e-30, and L2 on 1e30 or Float.greatestFiniteMagnitude crashed).
@Suite("Scaled embeddings")
struct ScaledEmbeddingsTests {
    let data: RetrievalFixtureData

    init() throws { data = try RetrievalFixtureData(try FixtureFile("knn_cosine.json")) }

    private func scaled(_ tensor: Tensor, _ factor: Float) -> Tensor {
        Tensor(shape: tensor.shape, values: tensor.scalars.map { $0 * factor })
    }

    @Test("neighbours at 1e30 and 1e-30 are the unscaled neighbours", arguments: SearchDistance.allCases, [Float(1e30), 1e-30])
    func sameNeighbours(distance: SearchDistance, factor: Float) throws {
        let reference = try ExactSearch.neighbors(queries: data.all, k: 20, distance: distance, blockSize: 64)
        let result = try ExactSearch.neighbors(queries: scaled(data.all, factor), k: 20, distance: distance, blockSize: 64)
        #expect(result.indices == reference.indices, "\(distance) leave-one-out at \(factor)")
        let galleryReference = try ExactSearch.neighbors(queries: data.queries, gallery: data.gallery, k: 20, distance: distance)
        let gallery = try ExactSearch.neighbors(queries: scaled(data.queries, factor), gallery: scaled(data.gallery, factor),
                                                k: 20, distance: distance)
        #expect(gallery.indices == galleryReference.indices, "\(distance) query/gallery at \(factor)")
        if distance == .cosine {
            #expect(zip(result.values, reference.values).allSatisfy { abs($0 - $1) <= 1e-6 })
        }
    }

    @Test("at a power of two, reported values are the unscaled values times its power", arguments: SearchDistance.allCases)
    func valuesScaleExactly(distance: SearchDistance) throws {
        let factor = Float(sign: .plus, exponent: 40, significand: 1)
        let reference = try ExactSearch.neighbors(queries: data.all, k: 10, distance: distance)
        let result = try ExactSearch.neighbors(queries: scaled(data.all, factor), k: 10, distance: distance)
        let power: Float = distance == .cosine ? 1 : factor * factor
        #expect(result.indices == reference.indices)
        #expect(result.values == reference.values.map { $0 * power }, "\(distance)")
    }

    @Test("retrieval metrics and k-means at 1e30 and 1e-30 equal the unscaled ones", arguments: [Float(1e30), 1e-30])
    func sameMetrics(factor: Float) throws {
        let plain = try LabeledEmbeddings(values: data.all, labels: data.labels, name: "plain")
        let big = try LabeledEmbeddings(values: scaled(data.all, factor), labels: data.labels, name: "scaled")
        for distance in SearchDistance.allCases {
            let evaluation = RetrievalEvaluation(distance: distance, recallAt: [1, 2, 4], clustering: KMeans.Options(restarts: 2))
            let reference = try evaluation.run(plain)
            #expect(reference.recallAtK[1].map { $0 > 0.1 && $0 < 0.9 } == true, "R@1 \(reference.recallAtK) tells rankings apart")
            #expect(try evaluation.run(big) == reference, "\(distance) at \(factor)")
        }
    }

    @Test("L2 distances beyond float32 are +infinity, and the search completes")
    func overflowingDistances() throws {
        let largest = Float.greatestFiniteMagnitude
        let values: [Float] = [largest, 0, -largest, 0, 1e30, 1e30, 1e30, 2e30, 0, 1]
        let result = try ExactSearch.neighbors(queries: Tensor(shape: [5, 2], values: values), k: 4, distance: .l2)
        // Row 2 (1e30, 1e30): nearest row 3 at (1e30)² = 1e60, beyond float32; then the rest.
        #expect(Array(result.indices[8..<12]) == [3, 4, 0, 1])
        #expect(result.values[8...].allSatisfy { $0 == .infinity })
        // Row 0 (Float.max, 0): every distance overflows, yet the ranking holds: row 1 at (2 · Float.max)²
        // is the farthest; rows 2–4, all at Float.max² within the tie tolerance, come by index.
        #expect(Array(result.indices[0..<4]) == [2, 3, 4, 1], "\(result.indices[0..<4])")
        #expect(result.values[0..<4].allSatisfy { $0 == .infinity })
        let metrics = try RetrievalEvaluation(distance: .l2, recallAt: [1], clustering: KMeans.Options(restarts: 1))
            .run(LabeledEmbeddings(values: Tensor(shape: [5, 2], values: values), labels: [0, 0, 1, 1, 1], name: "huge.npy"))
        #expect(metrics.recallAtK[1] == 0.6)
    }
}

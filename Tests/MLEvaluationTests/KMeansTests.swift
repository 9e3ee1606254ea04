@testable import MLEngine
@testable import MLEvaluation
import TestSupport
import Testing

@Suite("KMeans")
struct KMeansTests {
    /// The blobs of `tools/reference/retrieval.py`: centres Seeded(7) (6 × 8, scale 2), then 240 points.
    var blobs: Tensor {
        var generator = SeededGenerator(seed: 7)
        let centres = generator.uniform(count: 6 * 8, scale: 2)
        let noise = generator.uniform(count: 240 * 8)
        return Tensor(shape: [240, 8], values: (0..<(240 * 8)).map { centres[($0 / 8 % 6) * 8 + $0 % 8] + noise[$0] })
    }

    @Test("inertia within 1% of scikit-learn's best of 10 restarts")
    func inertiaMatchesScikitLearn() throws {
        let fixture = try FixtureFile("clustering.json")
        let reference = fixture["kmeans_inertia"].values[0]
        let result = KMeans(clusters: 6).fit(blobs)
        #expect(result.inertia <= 1.01 * reference, "inertia \(result.inertia), sklearn \(reference)")
        #expect(Set(result.assignment) == Set(0..<6))
        let single = KMeans(clusters: 6, options: .init(restarts: 1, maxIterations: 20, seed: 3)).fit(blobs)
        #expect(single.inertia >= result.inertia - 1e-9, "one restart beat the best of ten")
    }

    @Test("the same seed gives the same clustering; every cluster is used")
    func deterministic() {
        let a = KMeans(clusters: 20, options: .init(restarts: 2, seed: 5)).fit(blobs)
        let b = KMeans(clusters: 20, options: .init(restarts: 2, seed: 5)).fit(blobs)
        #expect(a.assignment == b.assignment)
        #expect(Set(a.assignment).count == 20)
    }
}

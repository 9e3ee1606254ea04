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

    @Test("the default fit finds scikit-learn's partition and inertia")
    func partitionAndInertiaMatchScikitLearn() throws {
        let fixture = try FixtureFile("clustering.json")
        let reference = fixture["kmeans_assignment"].values.map { Int($0) }
        let result = KMeans(clusters: 6).fit(blobs)
        // The same partition: cluster numbers may differ, so ours must map one-to-one onto scikit-learn's.
        var mapping: [Int: Int] = [:]
        for (ours, theirs) in zip(result.assignment, reference) {
            #expect(mapping[ours, default: theirs] == theirs, "cluster \(ours) holds points of sklearn's \(mapping[ours] ?? -1) and \(theirs)")
            mapping[ours] = theirs
        }
        #expect(mapping.count == 6 && Set(mapping.values).count == 6, "mapping \(mapping) is not one-to-one")
        // Same partition, same centroids: the inertias differ by float32 rounding of the points' means (~1e-7).
        let inertia = fixture["kmeans_inertia"].values[0]
        #expect(abs(result.inertia - inertia) <= 1e-6 * inertia, "inertia \(result.inertia), sklearn \(inertia)")
    }

    @Test("restarts keep the lowest-inertia run of the seeds seed, seed + 1, …")
    func restartsKeepTheBestSingleRun() {
        let best = KMeans(clusters: 6, options: .init(restarts: 10, seed: 4)).fit(blobs)
        let singles = (0..<10).map { KMeans(clusters: 6, options: .init(restarts: 1, seed: 4 + UInt64($0))).fit(blobs) }
        let lowest = singles.min { $0.inertia < $1.inertia }!
        #expect(best.inertia == lowest.inertia && best.assignment == lowest.assignment)
        // The seeds lead to different local optima, so the choice matters.
        #expect(Set(singles.map(\.inertia)).count > 1, "every restart found the same clustering")
    }

    @Test("the same seed gives the same clustering; every cluster is used")
    func deterministic() {
        let a = KMeans(clusters: 20, options: .init(restarts: 2, seed: 5)).fit(blobs)
        let b = KMeans(clusters: 20, options: .init(restarts: 2, seed: 5)).fit(blobs)
        #expect(a.assignment == b.assignment)
        #expect(Set(a.assignment).count == 20)
    }
}

import Foundation
import MLEngine

/// Lloyd's k-means with greedy k-means++ seeding and seeded restarts; the run of lowest inertia is kept.
///
/// Seeding follows scikit-learn: each new centre is the best (lowest resulting potential) of
/// 2 + ⌊ln k⌋ candidates drawn with probability ∝ squared distance to the nearest chosen centre.
/// Assignment computes ‖x‖² + ‖c‖² − 2 x·c with one sgemm per block of points; an emptied cluster is
/// moved to the point farthest from its centre. Iteration stops when no assignment changes.
public struct KMeans: Sendable {
    /// Restarts, iterations and seed.
    public struct Options: Sendable, Equatable {
        /// Independent seedings; the result of lowest inertia is kept.
        public var restarts: Int
        /// Lloyd iterations per restart at most.
        public var maxIterations: Int
        /// Restart r draws from `SeededGenerator(seed: seed + r)`.
        public var seed: UInt64

        /// Options with the given restarts, iterations and seed.
        public init(restarts: Int = 10, maxIterations: Int = 100, seed: UInt64 = 0) {
            precondition(restarts >= 1 && maxIterations >= 1, "k-means with \(restarts) restarts, \(maxIterations) iterations")
            self.restarts = restarts
            self.maxIterations = maxIterations
            self.seed = seed
        }

        /// The defaults for `classes` clusters: 10 restarts of up to 100 iterations, or above 1,000 classes
        /// one run of 20 iterations (as PML's faiss k-means), where one iteration on SOP costs ~2.8 TFLOP.
        public static func standard(forClasses classes: Int) -> Options {
            classes > 1000 ? Options(restarts: 1, maxIterations: 20) : Options()
        }
    }

    /// A clustering.
    public struct Result: Sendable {
        /// The cluster of each point, in 0..<clusters.
        public let assignment: [Int]
        /// The centres, clusters × d row-major.
        public let centroids: [Float]
        /// Σ ‖x − c(x)‖² in float64.
        public let inertia: Double
    }

    /// The number of clusters.
    public let clusters: Int
    /// Restarts, iterations and seed.
    public let options: Options

    /// A k-means of `clusters` clusters.
    public init(clusters: Int, options: Options = Options()) {
        precondition(clusters >= 1, "k-means with \(clusters) clusters")
        self.clusters = clusters
        self.options = options
    }

    /// Clusters the rows of `points` (n × d, n ≥ clusters).
    public func fit(_ points: Tensor) -> Result {
        precondition(points.shape.count == 2 && points.shape[0] >= clusters,
                     "k-means of \(clusters) clusters on points of shape \(points.shape)")
        // Clustered at a largest magnitude in [1, 2) (`BinaryScale`): the same assignment at any scale,
        // no squared distance overflowing or vanishing; centroids and inertia are scaled back.
        var scaled = points.plain()
        let exponent = BinaryScale.exponent(of: scaled) ?? 0
        scaled.withUnsafeMutableStorage { BinaryScale.scale($0, by: -exponent) }
        let data = KMeansData(scaled)
        var best: Result?
        for restart in 0..<options.restarts {
            var generator = SeededGenerator(seed: options.seed &+ UInt64(restart))
            let result = data.lloyd(from: data.seed(clusters, using: &generator), maxIterations: options.maxIterations)
            if best.map({ result.inertia < $0.inertia }) ?? true { best = result }
        }
        guard let best else { preconditionFailure("k-means ran no restart") }
        return Result(assignment: best.assignment,
                      centroids: best.centroids.map { BinaryScale.scaled($0, by: exponent) },
                      inertia: Double(sign: .plus, exponent: 2 * exponent, significand: best.inertia))
    }
}

import Foundation
import MLEngine

/// Vectors clustered like real embeddings, for benchmarks and tests: `centres` centres drawn from
/// N(0, I/d), each point a centre plus N(0, spread² · I/d) noise, then scaled to unit length (embeddings
/// are compared by cosine). With the default spread 0.5 a point's nearest centre is its own. Every point
/// is a pure function of (seed, index), so any thread count gives the same vectors.
package struct GaussianMixture: Sendable {
    package let dimension: Int
    package let centres: Int
    package let spread: Double
    package let seed: UInt64

    package init(dimension: Int, centres: Int, spread: Double = 0.5, seed: UInt64 = 0) {
        self.dimension = dimension
        self.centres = centres
        self.spread = spread
        self.seed = seed
    }

    /// Points `range` (row-major, range.count × dimension) and the centre each belongs to.
    package func points(_ range: Range<Int>) -> (vectors: [Float], centres: [Int]) {
        let root = SeededGenerator(seed: seed)
        let scale = 1 / Double(dimension).squareRoot()
        let means: [[Double]] = (0..<centres).map { c in
            var generator = root.substream(0).substream(UInt64(c))
            return (0..<dimension).map { _ in generator.nextNormal() * scale }
        }
        var vectors = [Float](repeating: 0, count: range.count * dimension)
        var owners = [Int](repeating: 0, count: range.count)
        let chunk = 4_096
        let chunks = (range.count + chunk - 1) / chunk
        vectors.withUnsafeMutableBufferPointer { output in
            owners.withUnsafeMutableBufferPointer { owner in
                nonisolated(unsafe) let (output, owner) = (output, owner)
                DispatchQueue.concurrentPerform(iterations: chunks) { part in
                    for row in (part * chunk)..<min((part + 1) * chunk, range.count) {
                        var generator = root.substream(1).substream(UInt64(range.lowerBound + row))
                        let centre = generator.nextIndex(below: centres)
                        var point = means[centre].map { $0 + generator.nextNormal() * spread * scale }
                        let norm = max(point.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                        for i in point.indices { point[i] /= norm }
                        for i in 0..<dimension { output[row * dimension + i] = Float(point[i]) }
                        owner[row] = centre
                    }
                }
            }
        }
        return (vectors, owners)
    }
}

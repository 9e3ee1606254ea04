import Foundation
import MLEngine

/// The points of a k-means run with their squared norms, and the seeding and Lloyd steps over them.
struct KMeansData: @unchecked Sendable {
    let points: Tensor
    let count: Int
    let dimension: Int
    let squaredNorms: [Float]
    private let blockRows = 1024

    init(_ points: Tensor) {
        self.points = points
        count = points.shape[0]
        dimension = points.shape[1]
        let d = dimension
        squaredNorms = points.withUnsafeStorage { x in
            (0..<points.shape[0]).map { row in (0..<d).reduce(Float(0)) { $0 + x[row * d + $1] * x[row * d + $1] } }
        }
    }

    /// Squared distances from every point to each of `centres` (rows of d floats): calls `body` with each
    /// block of points' first row and its rows × centres distances.
    func distances(to centres: [Float], _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        let k = centres.count / dimension
        let centreNorms = (0..<k).map { c in (0..<dimension).reduce(Float(0)) { $0 + centres[c * dimension + $1] * centres[c * dimension + $1] } }
        var block = [Float](repeating: 0, count: min(blockRows, count) * k)
        points.withUnsafeStorage { x in
            centres.withUnsafeBufferPointer { c in
                for start in stride(from: 0, to: count, by: blockRows) {
                    let rows = min(blockRows, count - start)
                    block.withUnsafeMutableBufferPointer { out in
                        GEMM.sgemm(transposeA: false, transposeB: true, m: rows, n: k, k: dimension, alpha: -2,
                                   a: x.baseAddress! + start * dimension, lda: dimension, b: c.baseAddress!,
                                   ldb: dimension, c: out.baseAddress!, ldc: k)
                        for row in 0..<rows {
                            for centre in 0..<k { out[row * k + centre] += squaredNorms[start + row] + centreNorms[centre] }
                        }
                    }
                    block.withUnsafeBufferPointer { body(start, UnsafeBufferPointer(rebasing: $0[0..<(rows * k)])) }
                }
            }
        }
    }

    /// Greedy k-means++: `clusters` centres chosen among the points.
    func seed(_ clusters: Int, using generator: inout SeededGenerator) -> [Float] {
        let trials = 2 + Int(log(Double(clusters)))
        var centres = row(Int(generator.next() % UInt64(count)))
        var nearest = [Double](repeating: 0, count: count)
        distances(to: centres) { start, block in for i in 0..<block.count { nearest[start + i] = Double(max(block[i], 0)) } }
        for _ in 1..<clusters {
            let candidates = sample(trials, weights: nearest, using: &generator)
            let candidateRows = candidates.flatMap(row)
            var potentials = [Double](repeating: 0, count: candidates.count)
            var updated = [[Double]](repeating: nearest, count: candidates.count)
            distances(to: candidateRows) { start, block in
                for i in 0..<(block.count / candidates.count) {
                    for t in 0..<candidates.count {
                        updated[t][start + i] = min(nearest[start + i], Double(max(block[i * candidates.count + t], 0)))
                    }
                }
            }
            for t in 0..<candidates.count { potentials[t] = updated[t].reduce(0, +) }
            let best = potentials.indices.min { potentials[$0] < potentials[$1] } ?? 0
            centres += row(candidates[best])
            nearest = updated[best]
        }
        return centres
    }

    /// `draws` point indices drawn with probability ∝ `weights` (uniform when all weights are 0).
    private func sample(_ draws: Int, weights: [Double], using generator: inout SeededGenerator) -> [Int] {
        var cumulative = [Double](repeating: 0, count: count)
        var sum = 0.0
        for i in 0..<count {
            sum += weights[i]
            cumulative[i] = sum
        }
        return (0..<draws).map { _ in
            guard sum > 0 else { return Int(generator.next() % UInt64(count)) }
            let target = generator.nextUnit() * sum
            var low = 0, high = count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Lloyd iterations from `initial` centres until no assignment changes or `maxIterations`.
    func lloyd(from initial: [Float], maxIterations: Int) -> KMeans.Result {
        let k = initial.count / dimension
        var centres = initial
        var assignment = [Int](repeating: -1, count: count)
        var distance = [Float](repeating: 0, count: count)
        for _ in 0..<maxIterations {
            var changed = false
            distances(to: centres) { start, block in
                for i in 0..<(block.count / k) {
                    var bestCentre = 0
                    for centre in 1..<max(k, 1) where block[i * k + centre] < block[i * k + bestCentre] { bestCentre = centre }
                    if assignment[start + i] != bestCentre { changed = true }
                    assignment[start + i] = bestCentre
                    distance[start + i] = block[i * k + bestCentre]
                }
            }
            if !changed { break }
            centres = means(assignment, clusters: k, farthestFirst: distance)
        }
        return KMeans.Result(assignment: assignment, centroids: centres, inertia: inertia(assignment, centres))
    }

    /// The mean of each cluster's points; an empty cluster takes the farthest point not yet taken.
    private func means(_ assignment: [Int], clusters k: Int, farthestFirst distance: [Float]) -> [Float] {
        var sums = [Double](repeating: 0, count: k * dimension)
        var sizes = [Int](repeating: 0, count: k)
        var assignment = assignment
        for cluster in assignment { sizes[cluster] += 1 }
        var spare = distance.indices.sorted { distance[$0] > distance[$1] }.makeIterator()
        for cluster in 0..<k where sizes[cluster] == 0 {
            if let point = spare.next() { assignment[point] = cluster }
        }
        sizes = [Int](repeating: 0, count: k)
        points.withUnsafeStorage { x in
            for (point, cluster) in assignment.enumerated() {
                sizes[cluster] += 1
                for j in 0..<dimension { sums[cluster * dimension + j] += Double(x[point * dimension + j]) }
            }
        }
        return (0..<(k * dimension)).map { Float(sums[$0] / Double(max(sizes[$0 / dimension], 1))) }
    }

    /// Σ ‖x − c(x)‖² in float64.
    private func inertia(_ assignment: [Int], _ centres: [Float]) -> Double {
        points.withUnsafeStorage { x in
            assignment.enumerated().reduce(0.0) { sum, entry in
                (0..<dimension).reduce(sum) {
                    let difference = Double(x[entry.offset * dimension + $1]) - Double(centres[entry.element * dimension + $1])
                    return $0 + difference * difference
                }
            }
        }
    }

    private func row(_ index: Int) -> [Float] {
        points.withUnsafeStorage { Array($0[(index * dimension)..<((index + 1) * dimension)]) }
    }
}

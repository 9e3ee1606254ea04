@testable import MLEngine
@testable import MLEvaluation
import TestSupport

/// The embeddings of `tools/reference/retrieval.py`, regenerated from its seed and copy list.
struct RetrievalFixtureData {
    let count: Int
    let dimension: Int
    let queryCount: Int
    let values: [Float]
    let labels: [Int]

    init(_ fixture: FixtureFile) throws {
        let (count, dimension): (Int, Int) = (try fixture.meta("n"), try fixture.meta("d"))
        self.count = count
        self.dimension = dimension
        queryCount = try fixture.meta("queries")
        var generator = SeededGenerator(seed: UInt64(try fixture.meta("seed", as: Int.self)))
        let noise = generator.uniform(count: count * dimension)
        let drawn = (0..<count).map { _ in Int((generator.nextUnit() * 30).rounded(.down)) }
        let centres = generator.uniform(count: 30 * dimension, scale: 0.5)
        var values = (0..<(count * dimension)).map { centres[drawn[$0 / dimension] * dimension + $0 % dimension] + noise[$0] }
        var labels = drawn
        for copy in try fixture.meta("copies", as: [[Double]].self) {
            let (source, destination, scale) = (Int(copy[0]), Int(copy[1]), Float(copy[2]))
            for j in 0..<dimension { values[destination * dimension + j] = scale * values[source * dimension + j] }
            labels[destination] = labels[source]
        }
        labels[7] = 999
        labels[30] = 998
        self.values = values
        self.labels = labels
    }

    var all: Tensor { Tensor(shape: [count, dimension], values: values) }
    var queries: Tensor { Tensor(shape: [queryCount, dimension], values: Array(values[..<(queryCount * dimension)])) }
    var gallery: Tensor {
        Tensor(shape: [count - queryCount, dimension], values: Array(values[(queryCount * dimension)...]))
    }
}

import MLEngine
import MLEvaluation

extension FuzzTarget {
    /// Embeddings as raw float32 bit patterns (any value, huge and tiny included): the first byte gives
    /// the dimension (1…8), one label byte per row follows the floats. Leave-one-out retrieval metrics
    /// and k-means under each distance.
    static let embeddings = FuzzTarget("embeddings") { bytes in
        guard let first = bytes.first else { return }
        let dimension = Int(first % 8) + 1
        let rows = (bytes.count - 1) / (4 * dimension + 1)
        guard rows >= 2 else { return }
        let values = (0..<(rows * dimension)).map { i in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[1 + 4 * i + $1]) << (8 * $1) })
        }
        let labels = (0..<rows).map { Int(bytes[1 + 4 * rows * dimension + $0] % 4) }
        let embeddings = try LabeledEmbeddings(values: Tensor(shape: [rows, dimension], values: values), labels: labels, name: "fuzz")
        for distance in SearchDistance.allCases {
            let evaluation = RetrievalEvaluation(distance: distance, recallAt: [1, 2], clustering: KMeans.Options(restarts: 2, maxIterations: 10))
            _ = try evaluation.run(embeddings)
        }
    }
}

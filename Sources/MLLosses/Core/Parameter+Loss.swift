import Foundation
import MLEngine

extension Parameter {
    /// The value as a double matrix: [rows, columns] for a 2-D parameter, one row for a vector.
    var matrix: Matrix {
        let shape = value.shape
        let rows = shape.count == 2 ? shape[0] : 1
        return Matrix(floats: value.plain(), rows: rows, columns: value.count / max(rows, 1))
    }

    /// Adds `delta` (row-major, the value's element count) to the gradient.
    func accumulateGradient(_ delta: Matrix) {
        precondition(delta.values.count == value.count, "gradient of \(delta.values.count) values for a parameter of shape \(value.shape)")
        guard gradient != nil else { return }
        gradient?.withUnsafeMutableStorage { storage in
            for i in 0..<delta.values.count { storage[i] += Float(delta.values[i]) }
        }
    }

    /// A classification loss's learnable vectors, one per class, laid out as `layout` and drawn from
    /// N(0, std²) by a generator seeded with `seed`. Throws `LossError` naming `loss` unless `classes` and
    /// `embeddingSize` are at least 1.
    static func classVectors(
        _ layout: ClassVectorLayout, classes: Int, embeddingSize: Int, std: Double = 1, seed: UInt64, loss: String
    ) throws -> Parameter {
        try checkClassCounts(classes: classes, embeddingSize: embeddingSize, loss: loss)
        var generator = SeededGenerator(seed: seed)
        let shape = layout == .columns ? [embeddingSize, classes] : [classes, embeddingSize]
        return normal(shape, std: std, generator: &generator)
    }

    /// A trainable parameter of `shape` drawn from N(0, std²) with `generator` (Box–Muller).
    private static func normal(_ shape: [Int], std: Double, generator: inout SeededGenerator) -> Parameter {
        let count = shape.reduce(1, *)
        var values: [Float] = []
        values.reserveCapacity(count)
        while values.count < count {
            let u1 = max(generator.nextUnit(), .leastNonzeroMagnitude), u2 = generator.nextUnit()
            let radius = (-2 * log(u1)).squareRoot() * std
            values.append(Float(radius * cos(2 * .pi * u2)))
            if values.count < count { values.append(Float(radius * sin(2 * .pi * u2))) }
        }
        return Parameter(Tensor(shape: shape, values: values))
    }
}

/// How a classification loss lays out its per-class vectors.
enum ClassVectorLayout {
    /// [embeddingSize, classes]: one column per class (PML's class weights `W`).
    case columns
    /// [classes, embeddingSize]: one row per class (proxies).
    case rows
}

@testable import MLEngine
@testable import MLLosses
import TestSupport
import Testing

/// `LossOutput.correct`, the training accuracy's numerator, against an argmax computed here from the loss's
/// own parameters: x Wᵀ + b for the paper's head, the cosine to each class vector for the normalised heads.
@Suite struct ClassifierAccuracyTests {
    static let (n, d, classes) = (12, 6, 4)

    static func embeddings(seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [n, d], values: generator.uniformDoubles(count: n * d).map(Float.init))
    }

    static let labels = (0..<n).map { $0 % classes }

    /// Rows whose largest score is at their label (first index on ties).
    static func expectedCorrect(_ scores: (Int, Int) -> Double) -> Int {
        (0..<n).filter { i in
            let row = (0..<classes).map { scores(i, $0) }
            return row.firstIndex(of: row.max() ?? 0) == labels[i]
        }.count
    }

    @Test func smoothCrossEntropyCountsTheArgmaxOfItsLogits() throws {
        let loss = try SmoothCrossEntropyLoss(classes: Self.classes, embeddingSize: Self.d)
        let x = Self.embeddings(seed: 3)
        // The zero-initialised classifier ties every class: the lowest class wins, as torch.argmax.
        let tied = try loss.compute(try validatedMatrix(x, labels: Self.labels, for: "test"), labels: Self.labels,
                                    indices: nil, training: false)
        #expect(tied.correct == Self.labels.filter { $0 == 0 }.count)

        var generator = SeededGenerator(seed: 4)
        loss.weight.value = Tensor(shape: [Self.classes, Self.d],
                                   values: generator.uniformDoubles(count: Self.classes * Self.d).map(Float.init))
        loss.bias.value = Tensor(shape: [Self.classes], values: generator.uniformDoubles(count: Self.classes).map(Float.init))
        let (xs, w, b) = (x.scalars, loss.weight.value.scalars, loss.bias.value.scalars)
        let expected = Self.expectedCorrect { i, k in
            Double(b[k]) + (0..<Self.d).reduce(0.0) { $0 + Double(xs[i * Self.d + $1]) * Double(w[k * Self.d + $1]) }
        }
        let output = try loss.compute(try validatedMatrix(x, labels: Self.labels, for: "test"), labels: Self.labels,
                                      indices: nil, training: false)
        #expect(output.correct == expected)
        #expect(expected > 0 && expected < Self.n, "the case should have right and wrong rows, has \(expected)")
    }

    @Test func normalisedHeadsCountTheNearestClassVector() throws {
        let x = Self.embeddings(seed: 5)
        let xs = x.scalars
        let heads: [(any MetricLoss, Parameter)] = try [
            { let loss = try NormalizedSoftmaxLoss(classes: Self.classes, embeddingSize: Self.d, seed: 6); return (loss, loss.weight) }(),
            { let loss = try ArcFaceLoss(classes: Self.classes, embeddingSize: Self.d, seed: 6); return (loss, loss.weight) }(),
        ]
        for (loss, weight) in heads {
            let w = weight.value.scalars  // [d, classes]
            let expected = Self.expectedCorrect { i, k in
                let dot = (0..<Self.d).reduce(0.0) { $0 + Double(xs[i * Self.d + $1]) * Double(w[$1 * Self.classes + k]) }
                let norm = (0..<Self.d).reduce(0.0) { $0 + Double(w[$1 * Self.classes + k] * w[$1 * Self.classes + k]) }
                return dot / norm.squareRoot()
            }
            let output = try loss.compute(try validatedMatrix(x, labels: Self.labels, for: "test"), labels: Self.labels,
                                          indices: nil, training: true)
            #expect(output.correct == expected, "\(loss.name)")
        }
    }

    @Test func lossesWithoutAClassifierReportNoAccuracy() throws {
        let x = Self.embeddings(seed: 7)
        for loss in [try LossRegistry.makeLoss("triplet", classes: Self.classes, embeddingSize: Self.d),
                     try SPCELoss(classes: Self.classes)] as [any MetricLoss] {
            let output = try loss.compute(try validatedMatrix(x, labels: Self.labels, for: "test"), labels: Self.labels,
                                          indices: nil, training: true)
            #expect(output.correct == nil, "\(loss.name)")
        }
    }
}

@testable import MLEngine
@testable import MLLosses
import TestSupport
import Testing

/// Finite-difference checks (DESIGN §2): a random directional derivative of every loss, central step,
/// 1e-2 relative tolerance, for the embeddings (in float64, step 1e-4) and each parameter (float32, step 1e-3).
@Suite struct LossGradientCheckTests {
    static let specifications = [
        "cross_entropy", "cross_entropy:normalize_weight=true,smoothing=0.2", "cross_entropy:dropout=0.5",
        "normalized_softmax", "arcface", "arcface:margin=10,scale=16", "proxy_nca", "proxy_anchor", "center",
        "spce", "spce:present_only=true",
        "contrastive", "contrastive:distance=cosine", "contrastive:normalize_embeddings=false,p=1", "contrastive:power=2",
        "triplet", "triplet:margin=0.3,swap=true", "triplet:smooth_loss=true", "triplet:distance=dot,normalize_embeddings=false",
        "multi_similarity", "multi_similarity:distance=lp", "nca", "nca:distance=cosine", "supcon", "supcon:distance=lp",
    ]
    // CircleLoss is left out: PML detaches its pair weights, so its gradient is by design not the
    // derivative of its value; the PML fixtures check it.

    static let labels = [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 5]

    @Test(arguments: specifications)
    func directionalDerivativeMatches(_ specification: String) throws {
        let loss = try LossRegistry.makeLoss(specification, classes: 6, embeddingSize: 8, seed: 3)
        var generator = SeededGenerator(seed: 11)
        let x = Matrix(rows: 12, columns: 8, values: generator.uniformDoubles(count: 96))
        for (_, parameter) in loss.namedParameters {
            parameter.value = generator.tensor(parameter.value.shape, scale: 0.5)
        }
        if let head = loss as? SmoothCrossEntropyLoss, head.dropout.probability > 0 {
            head.dropout.fixedMask = (0..<96).map { _ in generator.nextUnit() < 0.5 ? 0 : 1 }
        }
        let direction = Matrix(rows: 12, columns: 8, values: generator.uniformDoubles(count: 96))
        let output = try loss.compute(x, labels: Self.labels, indices: nil, training: true)
        let parameterGradients = loss.namedParameters.map { $0.parameter.gradient?.scalars ?? [] }

        // Embeddings, in float64.
        let h = 1e-4
        func value(at t: Double) throws -> Double {
            var shifted = x
            for i in 0..<shifted.values.count { shifted.values[i] += t * direction.values[i] }
            return try loss.compute(shifted, labels: Self.labels, indices: nil, training: true).value
        }
        let numeric = (try value(at: h) - value(at: -h)) / (2 * h)
        let analytic = zip(output.gradient.values, direction.values).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(numeric - analytic) <= 1e-2 * max(abs(numeric), 1e-6),
                "\(specification): embedding directional derivative \(analytic), finite difference \(numeric)")

        // Parameters, in float32 (their storage), one at a time.
        for ((name, parameter), gradient) in zip(loss.namedParameters, parameterGradients) {
            let original = parameter.value
            let step = generator.uniform(count: original.count)
            let hp: Float = 1e-3
            func shifted(by t: Float) throws -> Double {
                parameter.value = Tensor(shape: original.shape, values: zip(original.scalars, step).map { $0 + t * $1 })
                return try loss.compute(x, labels: Self.labels, indices: nil, training: true).value
            }
            let numeric = (try shifted(by: hp) - shifted(by: -hp)) / Double(2 * hp)
            parameter.value = original
            let analytic = zip(gradient, step).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(numeric - analytic) <= 1e-2 * max(abs(numeric), 1e-4),
                    "\(specification): \(name) directional derivative \(analytic), finite difference \(numeric)")
        }
    }
}

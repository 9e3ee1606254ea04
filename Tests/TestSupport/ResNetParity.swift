import Foundation
import MLEngine
import MLModels
import Testing

/// The seeded parameter fill and fixture comparisons of `tools/reference/resnet.py` (see its docstring).
package enum ResNetParity {
    /// Fills every parameter and buffer of `model` in `state_dict` order from `generator` (see `values`).
    package static func fill(_ model: some Layer, from generator: inout SeededGenerator, residualGamma: Double = 1) {
        for (name, parameter) in model.namedParameters {
            let shape = parameter.value.shape
            parameter.value = Tensor(shape: shape, values: values(named: name, shape: shape, from: &generator,
                                                                  residualGamma: residualGamma))
        }
    }

    /// The next draws of `generator` for the parameter `name` of `shape`, u in [-1, 1): rank-4 weight
    /// u·√(3/fan_in), rank-2 weight u/√in, running_var 1 + 0.5u, running_mean 0.1u, other weights (BN γ)
    /// 1 + 0.1u (times `residualGamma` for a bottleneck's `bn3`), other biases 0.1u; each rounded to Float.
    package static func values(named name: String, shape: [Int], from generator: inout SeededGenerator,
                               residualGamma: Double = 1) -> [Float] {
        let u = generator.uniformDoubles(count: shape.reduce(1, *))
        let values: [Double]
        if name.hasSuffix("running_var") {
            values = u.map { 1 + 0.5 * $0 }
        } else if name.hasSuffix("running_mean") {
            values = u.map { 0.1 * $0 }
        } else if shape.count == 4 {
            let scale = (3 / Double(shape[1] * shape[2] * shape[3])).squareRoot()
            values = u.map { $0 * scale }
        } else if shape.count == 2 {
            values = u.map { $0 / Double(shape[1]).squareRoot() }
        } else if name.hasSuffix("bn3.weight") {
            values = u.map { (1 + 0.1 * $0) * residualGamma }
        } else if name.hasSuffix("weight") {
            values = u.map { 1 + 0.1 * $0 }
        } else {
            values = u.map { 0.1 * $0 }
        }
        return values.map(Float.init)
    }

    /// DESIGN §2's tolerance: max(floor, 3 × PyTorch-fp32's error) for fixture tensor `name`; with `bf16`,
    /// the bf16 rule on top of it (`BFloat16Errors.tolerance`).
    package static func tolerance(_ name: String, in fixture: FixtureFile, floor: Double, bf16: BFloat16Errors? = nil)
        -> Double
    {
        let errors = fixture.meta["pytorch_fp32_error"] as? [String: Double] ?? [:]
        let fp32 = max(floor, 3 * (errors[name] ?? 0))
        return bf16?.tolerance(name, of: fixture.name, fp32Tolerance: fp32) ?? fp32
    }

    /// Compares a full tensor with the fixture's `name` (with the bf16 rule when `bf16` is given).
    package static func expectClose(_ got: [Float], _ name: String, in fixture: FixtureFile, floor: Double = 1e-5,
                            bf16: BFloat16Errors? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = fixture[name].values
        let error = relativeError(got, reference)
        let tolerance = tolerance(name, in: fixture, floor: floor, bf16: bf16)
        #expect(error <= tolerance, "\(name): relative error \(error) > \(tolerance); \(worstMismatch(got, reference))",
                sourceLocation: sourceLocation)
    }

    /// Compares a large tensor with its compact fixture entry `name`: the norm, the values at the seeded
    /// sample of indices, and the error estimated from the seeded random projections
    /// (E[(r·Δ)²] = ‖Δ‖²/3 for r uniform in [-1, 1)) must each be within tolerance relative to the norm.
    package static func expectCloseCompact(_ got: [Float], _ name: String, in fixture: FixtureFile, floor: Double = 1e-4,
                                   bf16: BFloat16Errors? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let compact = (fixture.meta["compact"] as? [String: [String: Any]])?[name]
        guard let seed = compact?["seed"] as? Int, let count = compact?["count"] as? Int else {
            Issue.record("fixture has no compact entry \(name)", sourceLocation: sourceLocation)
            return
        }
        #expect(got.count == count, "\(name): \(got.count) values, reference has \(count)", sourceLocation: sourceLocation)
        guard got.count == count else { return }
        let tolerance = tolerance(name, in: fixture, floor: floor, bf16: bf16)
        let norm = fixture[name + ".norm"].values[0]
        let gotNorm = got.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(gotNorm - norm) <= tolerance * norm, "\(name): norm \(gotNorm), reference \(norm)",
                sourceLocation: sourceLocation)

        var generator = SeededGenerator(seed: UInt64(seed))
        let sample = fixture[name + ".sample"].values
        let indices = sample.indices.map { _ in Int(generator.nextUnit() * Double(count)) }
        let gotSample = indices.map { got[$0] }
        let sampleError = relativeError(gotSample, sample)
        #expect(sampleError <= tolerance,
                "\(name): sampled relative error \(sampleError) > \(tolerance); \(worstMismatch(gotSample, sample)) (sample index → element \(indices[indexOfWorst(gotSample, sample)]))",
                sourceLocation: sourceLocation)

        let projections = fixture[name + ".projection"].values
        var squared = 0.0
        for reference in projections {
            var dot = 0.0
            for value in got { dot += generator.nextSigned() * Double(value) }
            squared += (dot - reference) * (dot - reference)
        }
        let estimate = (3 * squared / Double(projections.count)).squareRoot() / norm
        #expect(estimate <= tolerance, "\(name): projected relative error \(estimate) > \(tolerance)",
                sourceLocation: sourceLocation)
    }

    private static func indexOfWorst(_ a: [Float], _ b: [Double]) -> Int {
        a.indices.max { abs(Double(a[$0]) - b[$0]) < abs(Double(a[$1]) - b[$1]) } ?? 0
    }
}

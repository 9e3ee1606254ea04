@testable import MLLosses
import TestSupport
import Testing

/// Every loss against PML 2.9 (and torch for the paper's head, SPCE, center loss) in float64:
/// values within 1e-6 relative, gradients within ‖Δ‖/‖ref‖ ≤ 1e-5 (Tests/Fixtures/losses.json).
@Suite struct LossParityTests {
    @Test(arguments: try LossFixtureCase.all().filter { !$0.name.hasPrefix("miner/") })
    func matchesReference(_ fixture: LossFixtureCase) throws {
        let (loss, embeddings) = try fixture.makeLoss()
        var indices: MinedIndices?
        if let miner = fixture.miner {
            indices = try LossRegistry.makeMiner(miner).mine(embeddings, labels: fixture.labels)
        }
        let (value, gradient) = try loss.evaluate(embeddings, labels: fixture.labels, indices: indices)
        let reference = fixture["value"].values[0]
        let valueError = abs(value - reference) / max(abs(reference), 1e-12)
        #expect(valueError <= 1e-6 || abs(value - reference) <= 1e-12,
                "\(fixture): value \(value), reference \(reference)")
        guard fixture.compareGradient else { return }
        expectClose(gradient.scalars, fixture["grad"].values, "\(fixture): embedding gradient")
        for (name, parameter) in loss.namedParameters {
            expectClose(parameter.gradient?.scalars ?? [], fixture[name + ".grad"].values, "\(fixture): \(name) gradient")
        }
    }

    /// ‖Δ‖/‖ref‖ ≤ 1e-5; a reference that is rounding noise (‖ref‖ ≤ 1e-12, e.g. the gradient of a loss of
    /// identical embeddings, which normalisation projects away) only requires a result as small (≤ 1e-6).
    func expectClose(_ got: [Float], _ want: [Double], _ what: String) {
        let referenceNorm = want.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if referenceNorm <= 1e-12 {
            let norm = got.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(norm <= 1e-6, "\(what): norm \(norm), reference is noise of norm \(referenceNorm)")
            return
        }
        let error = relativeError(got, want)
        #expect(error <= 1e-5, "\(what) error \(error), \(worstMismatch(got, want))")
    }
}

import Testing
@testable import MetricLearning

/// Every loss against PML 2.9 (and torch for the paper's head, SPCE, center loss) in float64:
/// values within 1e-6 relative, gradients within ‖Δ‖/‖ref‖ ≤ 1e-5 (Tests/Fixtures/losses.json).
@Suite struct LossParityTests {
    @Test(arguments: LossFixtureCase.all.filter { !$0.name.hasPrefix("miner/") })
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
        let expected = fixture["grad"]
        let error = relativeError(gradient.scalars, expected.values)
        #expect(error <= 1e-5, "\(fixture): embedding gradient error \(error), \(worstMismatch(gradient.scalars, expected.values))")
        for (name, parameter) in loss.namedParameters {
            let got = parameter.gradient?.scalars ?? []
            let want = fixture[name + ".grad"].values
            let error = relativeError(got, want)
            #expect(error <= 1e-5, "\(fixture): \(name) gradient error \(error), \(worstMismatch(got, want))")
        }
    }
}

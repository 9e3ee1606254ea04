@testable import MLData
import TestSupport
import Testing

@Suite struct IdentitySamplerTests {
    // Classes 0…4 with 5, 4, 3, 2 and 1 images.
    static let labels = MPerClassSamplerTests.labels

    @Test func batchesHoldDistinctIdentitiesWithEnoughImages() throws {
        let sampler = try IdentitySampler(labels: Self.labels, identities: 2, samplesPerIdentity: 3, iterations: 7, seed: 4)
        #expect(sampler.batchSize == 6 && sampler.batchesPerEpoch == 7)
        var classesSeen = Set<Int>()
        for epoch in 0..<20 {
            let batches = sampler.batches(epoch: epoch)
            #expect(batches.count == 7)
            for batch in batches {
                #expect(Set(batch).count == 6, "samples repeat in \(batch)")
                let byClass = Dictionary(grouping: batch, by: { Self.labels[$0] })
                #expect(byClass.count == 2 && byClass.values.allSatisfy { $0.count == 3 })
                classesSeen.formUnion(byClass.keys)
            }
        }
        // Only classes 0, 1 and 2 have three images.
        #expect(classesSeen == [0, 1, 2])
    }

    @Test func isDeterministicAndRefusesTooFewIdentities() throws {
        let a = try IdentitySampler(labels: Self.labels, identities: 2, samplesPerIdentity: 2, iterations: 3, seed: 1)
        let b = try IdentitySampler(labels: Self.labels, identities: 2, samplesPerIdentity: 2, iterations: 3, seed: 1)
        #expect(a.batches(epoch: 0) == b.batches(epoch: 0))
        #expect(a.batches(epoch: 0) != a.batches(epoch: 1))
        #expect(throws: SamplerError("only 2 classes have 4 images; a batch needs 3")) {
            try IdentitySampler(labels: Self.labels, identities: 3, samplesPerIdentity: 4, iterations: 1, seed: 0)
        }
    }

    @Test func matchesThePythonReimplementation() throws {
        let reference = try FixtureFile("samplers.json")["identity_2x2_it4_seed5_epoch2"]
        let sampler = try IdentitySampler(labels: Self.labels, identities: 2, samplesPerIdentity: 2, iterations: 4, seed: 5)
        #expect(reference.shape == [4, 4])
        #expect(sampler.batches(epoch: 2).flatMap { $0 }.map(Double.init) == reference.values)
    }
}

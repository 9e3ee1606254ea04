@testable import MLData
import TestSupport
import Testing

@Suite struct MPerClassSamplerTests {
    // Classes 0…4 with 5, 4, 3, 2 and 1 images (15 in all).
    static let labels = [0, 1, 2, 3, 4, 0, 1, 2, 3, 0, 1, 2, 0, 1, 0]

    @Test func everyBatchHoldsMSamplesOfDistinctClasses() throws {
        let sampler = try MPerClassSampler(labels: Self.labels, m: 2, batchSize: 6, seed: 5)
        #expect(sampler.batchesPerEpoch == 2)
        for epoch in 0..<50 {
            let batches = sampler.batches(epoch: epoch)
            #expect(batches.count == 2)
            for batch in batches {
                #expect(batch.count == 6)
                let byClass = Dictionary(grouping: batch, by: { Self.labels[$0] })
                #expect(byClass.count == 3 && byClass.values.allSatisfy { $0.count == 2 }, "\(batch)")
                // Without replacement within a class that has at least m images.
                for (label, members) in byClass where label != 4 { #expect(Set(members).count == 2, "\(batch)") }
            }
        }
    }

    @Test func singletonClassIsDrawnWithReplacement() throws {
        let sampler = try MPerClassSampler(labels: Self.labels, m: 2, batchSize: 10, seed: 2)
        let batch = sampler.batches(epoch: 0)[0]
        #expect(batch.filter { $0 == 4 }.count == 2)
    }

    @Test func isDeterministicAndRefusesImpossibleBatches() throws {
        let a = try MPerClassSampler(labels: Self.labels, m: 3, batchSize: 9, seed: 9)
        let b = try MPerClassSampler(labels: Self.labels, m: 3, batchSize: 9, seed: 9)
        #expect(a.batches(epoch: 2) == b.batches(epoch: 2))
        #expect(a.batches(epoch: 2) != a.batches(epoch: 3))
        #expect(throws: SamplerError.self) { try MPerClassSampler(labels: Self.labels, m: 4, batchSize: 6, seed: 0) }
        #expect(throws: SamplerError("5 classes × m = 2 cannot fill a batch of 12")) {
            try MPerClassSampler(labels: Self.labels, m: 2, batchSize: 12, seed: 0)
        }
    }

    @Test func matchesThePythonReimplementation() throws {
        let reference = try FixtureFile("samplers.json")["m_per_class_m2_b6_seed77_epoch1"]
        let sampler = try MPerClassSampler(labels: Self.labels, m: 2, batchSize: 6, seed: 77)
        #expect(reference.shape == [2, 6])
        #expect(sampler.batches(epoch: 1).flatMap { $0 }.map(Double.init) == reference.values)
    }
}

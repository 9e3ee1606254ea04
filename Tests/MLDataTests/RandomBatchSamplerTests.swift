@testable import MLData
import TestSupport
import Testing

@Suite struct RandomBatchSamplerTests {
    @Test func epochIsAPermutationCutIntoFullBatches() throws {
        let sampler = try RandomBatchSampler(count: 10, batchSize: 3, seed: 1)
        let batches = sampler.batches(epoch: 0)
        #expect(sampler.batchesPerEpoch == 3)
        #expect(batches.count == 3 && batches.allSatisfy { $0.count == 3 })
        let seen = batches.flatMap { $0 }
        #expect(Set(seen).count == 9 && seen.allSatisfy { (0..<10).contains($0) })
        #expect(seen != Array(0..<9), "the epoch is not shuffled")
    }

    @Test func batchesDependOnlyOnSeedAndEpoch() throws {
        let a = try RandomBatchSampler(count: 50, batchSize: 8, seed: 7)
        let b = try RandomBatchSampler(count: 50, batchSize: 8, seed: 7)
        let other = try RandomBatchSampler(count: 50, batchSize: 8, seed: 8)
        #expect(a.batches(epoch: 3) == b.batches(epoch: 3))
        #expect(a.batches(epoch: 3) != a.batches(epoch: 4))
        #expect(a.batches(epoch: 3) != other.batches(epoch: 3))
    }

    @Test func everySampleIsEquallyLikelyFirst() throws {
        // 4,000 epochs of 4 samples: each should lead about 1,000 times (binomial sd ≈ 27).
        let sampler = try RandomBatchSampler(count: 4, batchSize: 4, seed: 3)
        var firsts = [0, 0, 0, 0]
        for epoch in 0..<4000 { firsts[sampler.batches(epoch: epoch)[0][0]] += 1 }
        #expect(firsts.allSatisfy { abs($0 - 1000) < 150 }, "\(firsts)")
    }

    @Test func batchLargerThanDatasetIsRefused() {
        #expect(throws: SamplerError("batch size 11 must be between 1 and the dataset's 10 images")) {
            try RandomBatchSampler(count: 10, batchSize: 11, seed: 0)
        }
    }

    @Test func matchesThePythonReimplementation() throws {
        // tools/reference/samplers.py rebuilds the batches from seeded.py's stream and the documented algorithm.
        let fixture = try FixtureFile("samplers.json")
        let sampler = try RandomBatchSampler(count: 23, batchSize: 5, seed: 12345)
        for epoch in [0, 3] {
            let reference = fixture["random_23_5_seed12345_epoch\(epoch)"]
            #expect(reference.shape == [4, 5])
            #expect(sampler.batches(epoch: epoch).flatMap { $0 }.map(Double.init) == reference.values, "epoch \(epoch)")
        }
    }
}

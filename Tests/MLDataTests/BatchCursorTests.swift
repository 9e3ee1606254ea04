import Foundation
@testable import MLData
import TestSupport
import Testing

@Suite struct BatchCursorTests {
    @Test func walksAnEpochThenTheNext() throws {
        let sampler = try RandomBatchSampler(count: 20, batchSize: 6, seed: 11)
        var cursor = BatchCursor(sampler: sampler)
        var taken: [[Int]] = []
        while let batch = cursor.next() { taken.append(batch) }
        #expect(taken == sampler.batches(epoch: 0))
        cursor.startNextEpoch()
        #expect(cursor.state.epoch == 1)
        #expect(cursor.next() == sampler.batches(epoch: 1)[0])
    }

    @Test func resumesFromSavedStateWithTheSameBatches() throws {
        let sampler = try MPerClassSampler(labels: MPerClassSamplerTests.labels, m: 2, batchSize: 4, seed: 3)
        var cursor = BatchCursor(sampler: sampler, epoch: 5)
        _ = cursor.next()
        let saved = try JSONEncoder().encode(cursor.state)
        var resumed = try BatchCursor(sampler: sampler, resuming: JSONDecoder().decode(BatchCursor.State.self, from: saved))
        #expect(resumed.state.position == 1)
        var rest: [[Int]] = [], expected: [[Int]] = []
        while let batch = cursor.next() { expected.append(batch) }
        while let batch = resumed.next() { rest.append(batch) }
        #expect(rest == expected && rest.count == 2)
    }

    @Test func refusesAPositionOutsideTheBatches() throws {
        let sampler = try RandomBatchSampler(count: 4, batchSize: 2, seed: 0)
        let state = BatchCursor.State(epoch: 0, position: 3, batches: [[0, 1], [2, 3]])
        #expect(throws: SamplerError("saved sampler position 3 is outside its 2 batches")) {
            try BatchCursor(sampler: sampler, resuming: state)
        }
    }
}

extension BatchCursorTests {
    /// A checkpoint's sampler state is input: batches whose indices the sampler never made (past the
    /// dataset, negative, another epoch's) are refused before a sample is read with them.
    @Test func refusesBatchesTheSamplerDoesNotMake() throws {
        let sampler = try RandomBatchSampler(count: 4, batchSize: 2, seed: 0)
        let made = sampler.batches(epoch: 1)
        for batches in [[[0, 1], [2, 4_000_000]], [[-1, 0], [1, 2]], sampler.batches(epoch: 0), made.reversed()]
        where batches != made {
            #expect(throws: SamplerError("saved sampler batches of epoch 1 are not the ones the sampler makes for it "
                + "(a checkpoint of other data or settings, or a damaged one)")) {
                try BatchCursor(sampler: sampler, resuming: BatchCursor.State(epoch: 1, position: 0, batches: batches))
            }
        }
    }
}

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

import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct BatchLoaderTests {
    static let shape = [2, 3, 4]

    /// A loader whose sample `i` holds i in every value but the first, which is a draw of the sample's stream;
    /// samples finish out of order (a short sleep varying with the index); `failing` samples throw.
    static func loader(count: Int, options: BatchLoader.Options, failing: Set<Int> = []) -> BatchLoader {
        BatchLoader(labels: (0..<count).map { $0 % 5 }, sampleShape: shape, options: options,
                    describe: { "file-\($0).jpg" },
                    makeWriter: {
                        { index, generator, slot in
                            usleep(UInt32((index * 7919) % 5) * 200)
                            if failing.contains(index) { throw DataFileError(path: "file-\(index).jpg", "corrupt") }
                            for k in slot.indices { slot[k] = Float(index) }
                            slot[0] = Float(generator.nextUnit())
                        }
                    })
    }

    static func collect(_ stream: BatchStream) throws -> [BatchLoader.Batch] {
        var batches: [BatchLoader.Batch] = []
        while let batch = try stream.next() { batches.append(batch) }
        return batches
    }

    @Test func batchesHoldTheSamplesInOrder() throws {
        let plan = try RandomBatchSampler(count: 23, batchSize: 4, seed: 1).batches(epoch: 0)
        let batches = try Self.collect(Self.loader(count: 23, options: .init(workers: 3, seed: 9)).load(plan, epoch: 0))
        #expect(batches.count == 5)
        for (batch, indices) in zip(batches, plan) {
            #expect(batch.images.shape == [4] + Self.shape)
            #expect(batch.indices == indices)
            #expect(batch.labels == indices.map { $0 % 5 })
            let values = batch.images.scalars
            for (row, index) in indices.enumerated() {
                #expect(values[(row * 24 + 1)..<((row + 1) * 24)].allSatisfy { $0 == Float(index) })
            }
        }
    }

    @Test func sameBatchesWhateverTheWorkersAndPrefetch() throws {
        let plan = try MPerClassSampler(labels: (0..<40).map { $0 % 5 }, m: 2, batchSize: 6, seed: 4).batches(epoch: 2)
        var results: [[[Float]]] = []
        for (workers, prefetch) in [(1, 1), (2, 2), (4, 3), (3, 1)] {
            let stream = Self.loader(count: 40, options: .init(workers: workers, prefetch: prefetch, seed: 21)).load(plan, epoch: 2)
            results.append(try Self.collect(stream).map(\.images.scalars))
        }
        #expect(results.allSatisfy { $0 == results[0] })
        let otherEpoch = try Self.collect(Self.loader(count: 40, options: .init(seed: 21)).load(plan, epoch: 3))
        #expect(otherEpoch.map(\.images.scalars) != results[0], "the sample streams ignore the epoch")
    }

    @Test func partsOfBatchesAreTheirRowsWithTheSameRandomNumbers() throws {
        let plan = try RandomBatchSampler(count: 24, batchSize: 6, seed: 2).batches(epoch: 1)
        let loader = Self.loader(count: 24, options: .init(workers: 2, seed: 13))
        let whole = try Self.collect(loader.load(plan, epoch: 1))
        let parts = try (0..<3).map { try Self.collect(loader.load(plan, epoch: 1, part: $0, of: 3)) }
        for (number, batch) in whole.enumerated() {
            let rows = parts.map { $0[number] }
            #expect(rows.flatMap(\.indices) == batch.indices)
            #expect(rows.flatMap(\.labels) == batch.labels)
            #expect(rows.flatMap(\.images.scalars) == batch.images.scalars, "batch \(number): a slice drew other random numbers")
            #expect(rows.allSatisfy { $0.images.shape == [2] + Self.shape })
        }
    }

    @Test func badSampleStopsWithItsName() throws {
        let stream = Self.loader(count: 8, options: .init(workers: 2), failing: [5]).load([[0, 1, 2, 3], [4, 5, 6, 7]], epoch: 0)
        #expect(try stream.next()?.indices == [0, 1, 2, 3])
        let error = #expect(throws: SampleLoadingError.self) { try stream.next() }
        #expect(error?.description == "cannot load file-5.jpg: file-5.jpg: corrupt")
        // The stream stays failed rather than waiting for workers that have stopped.
        #expect(throws: SampleLoadingError.self) { try stream.next() }
    }

    @Test func skippedSamplesLeaveTheBatch() throws {
        let options = BatchLoader.Options(workers: 2, skipBadImages: true, seed: 3)
        let batches = try Self.collect(Self.loader(count: 8, options: options, failing: [1, 6]).load([[0, 1, 2, 3], [4, 5, 6, 7]], epoch: 0))
        #expect(batches.map(\.indices) == [[0, 2, 3], [4, 5, 7]])
        #expect(batches.map(\.skipped) == [["file-1.jpg"], ["file-6.jpg"]])
        #expect(batches[1].images.shape == [3] + Self.shape)
        let values = batches[1].images.scalars
        #expect(values[49] == 7 && values[25] == 5)
        #expect(batches[1].labels == [4, 0, 2])
    }

    /// Counts the writers a loader made, those released (their worker thread ended) and the samples written.
    final class WorkerCounter: @unchecked Sendable {
        private let mutex = NSLock()
        private var counts = (made: 0, released: 0, written: 0)

        var snapshot: (made: Int, released: Int, written: Int) { mutex.withLock { counts } }
        func made() { mutex.withLock { counts.made += 1 } }
        func released() { mutex.withLock { counts.released += 1 } }
        func wrote() { mutex.withLock { counts.written += 1 } }
    }

    /// Held by a writer: tells the counter when the writer (and so its worker) is gone.
    final class WriterToken: Sendable {
        let counter: WorkerCounter
        init(_ counter: WorkerCounter) {
            self.counter = counter
            counter.made()
        }
        deinit { counter.released() }
    }

    @Test func droppingAStreamEarlyStopsItsWorkers() throws {
        let counter = WorkerCounter()
        let loader = BatchLoader(labels: (0..<100).map { $0 % 5 }, sampleShape: Self.shape, options: .init(workers: 2, prefetch: 2),
                                 describe: { "file-\($0).jpg" },
                                 makeWriter: {
                                     let token = WriterToken(counter)
                                     return { index, _, slot in
                                         withExtendedLifetime(token) {
                                             usleep(300)
                                             for k in slot.indices { slot[k] = Float(index) }
                                             counter.wrote()
                                         }
                                     }
                                 })
        for _ in 0..<5 {
            let stream = loader.load((0..<25).map { [4 * $0, 4 * $0 + 1, 4 * $0 + 2, 4 * $0 + 3] }, epoch: 0)
            #expect(try stream.next()?.indices == [0, 1, 2, 3])
        }
        // Each dropped stream's two workers end (their writers are released) instead of waiting for room in
        // the prefetch window forever…
        let deadline = Date().addingTimeInterval(10)
        while counter.snapshot.released < 10, Date() < deadline { usleep(1000) }
        let counts = counter.snapshot
        #expect(counts.made == 10 && counts.released == 10, "\(counts.made) workers started, \(counts.released) ended")
        // …having loaded at most the batch read and the 2 prefetched after it (12 samples) per stream, not the
        // 100 of the epoch.
        #expect(counts.written <= 5 * 12, "\(counts.written) samples loaded")
    }
}

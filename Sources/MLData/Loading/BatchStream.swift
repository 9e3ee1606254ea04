import Foundation
import MLEngine

/// The batches of one epoch as a `BatchLoader` produces them: worker threads fill up to `prefetch`
/// batches ahead, `next()` hands them out in order. Dropping the stream stops its workers.
public final class BatchStream: Sendable {
    private let production: BatchProduction

    /// A stream of `batches`, whose first samples are at `positions` in the epoch.
    init(loader: BatchLoader, batches: [[Int]], positions: [Int], epoch: Int) {
        production = BatchProduction(loader: loader, batches: batches, positions: positions, epoch: epoch)
    }

    deinit { production.stop() }

    /// The number of batches in this epoch.
    public var count: Int { production.batches.count }

    /// The next batch, nil after the last.
    ///
    /// - Throws: `SampleLoadingError` naming the sample that failed (unless `skipBadImages`).
    public func next() throws -> BatchLoader.Batch? { try production.next() }
}

/// The shared state of a `BatchStream` and its worker threads (which keep it alive until they leave).
final class BatchProduction: @unchecked Sendable {
    /// A batch being filled: its tensor, what is left to load, and what failed.
    private final class Pending {
        let images: Tensor
        var remaining: Int
        var failures: [(slot: Int, error: any Error)] = []

        init(images: Tensor, remaining: Int) {
            self.images = images
            self.remaining = remaining
        }
    }

    private let loader: BatchLoader
    let batches: [[Int]]
    /// Each batch's first position in the epoch (the sample streams are keyed by position).
    private let offsets: [Int]
    private let epoch: Int
    private let sampleSize: Int
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var pending: [Int: Pending] = [:]
    private var nextTask = (batch: 0, slot: 0)
    private var consumed = 0
    private var stopped = false
    /// The error that stopped the stream; every later `next()` throws it again.
    private var failure: SampleLoadingError?

    init(loader: BatchLoader, batches: [[Int]], positions: [Int], epoch: Int) {
        self.loader = loader
        self.batches = batches
        self.epoch = epoch
        precondition(batches.allSatisfy { !$0.isEmpty }, "a batch plan holds an empty batch")
        offsets = positions
        sampleSize = loader.sampleShape.reduce(1, *)
        for _ in 0..<loader.options.workers {
            let thread = Thread { [self] in work() }
            thread.name = "dml-loader"
            thread.start()
        }
    }

    /// The next batch, nil after the last (see `BatchStream.next()`).
    func next() throws -> BatchLoader.Batch? {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        guard consumed < batches.count else { return nil }
        let number = consumed
        var ready: Pending?
        while ready == nil && !stopped {
            if let batch = pending[number], batch.remaining == 0 { ready = batch } else { condition.wait() }
        }
        guard let batch = ready else { return nil }
        pending[number] = nil
        consumed += 1
        condition.broadcast()
        let indices = batches[number]
        if let (slot, error) = batch.failures.min(by: { $0.slot < $1.slot }), !loader.options.skipBadImages {
            stopped = true
            condition.broadcast()
            let failure = SampleLoadingError(sample: loader.describe(indices[slot]), underlying: error)
            self.failure = failure
            throw failure
        }
        guard !batch.failures.isEmpty else {
            return BatchLoader.Batch(images: batch.images, labels: indices.map { loader.labels[$0] }, indices: indices,
                                     skipped: [])
        }
        return compacted(batch, indices: indices)
    }

    /// Stops the workers (the stream cannot be read further).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// A batch without its failed samples.
    private func compacted(_ batch: Pending, indices: [Int]) -> BatchLoader.Batch {
        let failed = Set(batch.failures.map(\.slot))
        let kept = indices.indices.filter { !failed.contains($0) }
        let images = Tensor(shape: [kept.count] + loader.sampleShape)
        for (row, slot) in kept.enumerated() {
            images.storage.base.advanced(by: row * sampleSize)
                .update(from: batch.images.storage.base.advanced(by: slot * sampleSize), count: sampleSize)
        }
        return BatchLoader.Batch(images: images, labels: kept.map { loader.labels[indices[$0]] },
                                 indices: kept.map { indices[$0] },
                                 skipped: failed.sorted().map { loader.describe(indices[$0]) })
    }

    /// A worker: takes the next sample of the prefetch window, loads it into its batch's slot.
    private func work() {
        let writer = loader.makeWriter()
        condition.lock()
        while let (number, slot, target) = claimTask() {
            condition.unlock()
            var generator = loader.generator(epoch: epoch, position: offsets[number] + slot)
            let index = batches[number][slot]
            var failure: (any Error)?
            do {
                try writer(index, &generator, UnsafeMutableBufferPointer(start: target, count: sampleSize))
            } catch {
                failure = error
                if loader.options.skipBadImages {
                    FileHandle.standardError.write(Data("skipping \(loader.describe(index)): \(error)\n".utf8))
                }
            }
            condition.lock()
            if let batch = pending[number] {
                if let failure { batch.failures.append((slot, failure)) }
                batch.remaining -= 1
                if batch.remaining == 0 { condition.broadcast() }
            }
        }
        condition.unlock()
    }

    /// The next task within the prefetch window (allocating its batch on first use), waiting while the window
    /// is full; nil when all tasks are taken or the stream stopped. Called with the lock held.
    private func claimTask() -> (Int, Int, UnsafeMutablePointer<Float>)? {
        while !stopped {
            guard nextTask.batch < batches.count else { return nil }
            if nextTask.batch < consumed + loader.options.prefetch {
                let (number, slot) = nextTask
                let size = batches[number].count
                nextTask = slot + 1 < size ? (number, slot + 1) : (number + 1, 0)
                let batch = pending[number] ?? Pending(images: Tensor(shape: [size] + loader.sampleShape), remaining: size)
                pending[number] = batch
                return (number, slot, batch.images.storage.base.advanced(by: slot * sampleSize))
            }
            condition.wait()
        }
        return nil
    }
}

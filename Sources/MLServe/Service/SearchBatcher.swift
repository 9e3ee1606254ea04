import Foundation
import Logging
import MLEngine
import MLIndex
import MLModels

/// Runs searches in batches on a fixed pool of worker threads: requests that arrive together share one
/// model forward and one index search.
///
/// A worker takes the first waiting search, waits up to the collection window for others (or until a
/// full batch waits), runs the images of the batch through its model at once, searches the index with
/// every query of the batch, and answers each with its own k. Each request's answer is what it would get
/// alone: the model is in inference mode (no batch statistics) and the index ranks each query by itself.
public final class SearchBatcher: @unchecked Sendable {
    /// What a search starts from.
    public enum Query: Sendable {
        /// A preprocessed image (3 × H × W values) to embed first.
        case image([Float])
        /// An embedding.
        case embedding([Float])
    }

    /// A search's answer: the hits and the size of the batch it ran in.
    public struct Answer: Sendable {
        public let hits: [SearchHit]
        public let batchSize: Int
    }

    private struct Job {
        let query: Query
        let k: Int
        let excluded: Int?
        let deadline: DispatchTime
        let continuation: CheckedContinuation<Answer, any Error>
    }

    private let index: GalleryIndex
    private let inputShape: [Int]
    private let limits: ServiceLimits
    private let metrics: ServiceMetrics
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var arrival: [DispatchTime] = []
    private var stopping = false
    private var running = 0

    /// Starts one worker thread per model in `models` (each model is used by its thread only).
    /// `inputShape` is one image's [3, H, W].
    public init(index: GalleryIndex, models: [EmbeddingModel], inputShape: [Int], limits: ServiceLimits,
                metrics: ServiceMetrics, logger: Logger) {
        self.index = index
        self.inputShape = inputShape
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
        running = models.count
        for (number, model) in models.enumerated() {
            nonisolated(unsafe) let model = model
            let thread = Thread { [self] in work(with: model) }
            thread.name = "dml-search-\(number)"
            thread.start()
        }
    }

    /// Searches for `query`'s `k` nearest items (leaving out `excluded`), queued behind earlier searches.
    /// - Throws: `ServiceError` 503 (with Retry-After) when the queue is full or the search waited longer
    ///   than the timeout, 500 when the model or index fails.
    public func search(_ query: Query, k: Int, excluding excluded: Int? = nil) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            guard !stopping else {
                continuation.resume(throwing: ServiceError(.serviceUnavailable, "the service is shutting down", retryAfter: 1))
                return
            }
            guard queue.count < limits.maxQueue else {
                continuation.resume(throwing: ServiceError(.serviceUnavailable,
                    "too many searches waiting (\(limits.maxQueue)); retry shortly", retryAfter: 1))
                return
            }
            let now = DispatchTime.now()
            queue.append(Job(query: query, k: k, excluded: excluded,
                             deadline: now + limits.timeoutSeconds, continuation: continuation))
            arrival.append(now)
            metrics.queueDepth.set(queue.count)
            condition.signal()
        }
    }

    /// Stops taking searches, lets the workers finish every queued one, and waits for them to exit.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// A worker: one forward to create the model's oneDNN primitives (so the first request is not slow),
    /// then take a batch, run it, repeat until stopped and drained.
    private func work(with model: EmbeddingModel) {
        Engine.threadCount = limits.computeThreads
        _ = try? model.forward(Tensor(shape: [1] + inputShape), training: false)
        while let batch = nextBatch() { run(batch, model: model) }
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for a search, then up to the window for more; nil when stopping with nothing queued.
    private func nextBatch() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        if queue.isEmpty { return nil }
        let closes = arrival[0] + limits.batchWindowSeconds
        while queue.count < limits.maxBatch && !stopping {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < closes.uptimeNanoseconds else { break }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(closes.uptimeNanoseconds - now) / 1e9))
        }
        let taken = min(queue.count, limits.maxBatch)
        let batch = Array(queue.prefix(taken))
        queue.removeFirst(taken)
        arrival.removeFirst(taken)
        metrics.queueDepth.set(queue.count)
        return batch
    }

    /// One forward for the batch's images, one index search for all its queries.
    private func run(_ jobs: [Job], model: EmbeddingModel) {
        let now = DispatchTime.now()
        let (expired, batch) = (jobs.filter { $0.deadline < now }, jobs.filter { $0.deadline >= now })
        for job in expired {
            job.continuation.resume(throwing: ServiceError(.serviceUnavailable,
                "the search waited more than \(limits.timeoutSeconds) s in the queue", retryAfter: 1))
        }
        guard !batch.isEmpty else { return }
        metrics.batchSize.record(batch.count)
        do {
            let images = batch.compactMap { job -> [Float]? in if case .image(let values) = job.query { values } else { nil } }
            var embedded = [Float]()
            if !images.isEmpty {
                let input = Tensor(shape: [images.count] + inputShape, values: Array(images.joined()))
                embedded = try model.forward(input, training: false).scalars
            }
            let dimension = index.dimension
            var next = 0
            let queries = batch.flatMap { job -> [Float] in
                switch job.query {
                case .embedding(let values): return values
                case .image:
                    defer { next += 1 }
                    return Array(embedded[(next * dimension)..<((next + 1) * dimension)])
                }
            }
            let k = batch.map(\.k).max() ?? 1
            let found = try index.search(queries, k: k, excluding: batch.map(\.excluded), threads: limits.computeThreads)
            for (job, hits) in zip(batch, found) {
                job.continuation.resume(returning: Answer(hits: Array(hits.prefix(job.k)), batchSize: batch.count))
            }
        } catch {
            logger.error("search batch failed", metadata: ["batch": "\(batch.count)", "error": "\(error)"])
            for job in batch { job.continuation.resume(throwing: ServiceError(.internalServerError, "the search failed: \(error)")) }
        }
    }
}

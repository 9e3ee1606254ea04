import ArgumentParser
import Foundation
import MetricLearning
import MLIndex
import Logging
import MLServe
import Prometheus

/// The options that set up a search service, shared by `dml serve` and `dml bench serve`.
struct ServeOptions: ParsableArguments {
    @Option(help: "An index directory written by dml index build.") var index: String
    @Option(help: "The checkpoint that built the index (refused if it is another model).") var checkpoint: String
    @Option(help: "Largest request body in bytes.") var maxBody = ServiceLimits().maxBodyBytes
    @Option(help: "Largest image in pixels (checked from its header before decoding).") var maxPixels = ServiceLimits().maxPixels
    @Option(help: "Largest k.") var maxK = ServiceLimits().maxK
    @Option(help: "Searches waiting beyond which requests get 503.") var maxQueue = ServiceLimits().maxQueue
    @Option(help: "Seconds a request may take to arrive or wait in the queue.") var timeout = ServiceLimits().timeoutSeconds
    @Option(help: "Searches per model forward.") var maxBatch = ServiceLimits().maxBatch
    @Option(help: "Milliseconds the first search of a batch waits for others.") var batchWindowMs = ServiceLimits().batchWindowSeconds * 1000
    @Option(help: "Model workers (each with its own copy of the model).") var workers = ServiceLimits().workers
    @Option(help: "Threads per worker's forward and search (default: all cores).") var threads: Int?
    @Option(help: "Arithmetic of the model: fp32 or bf16 (default: the precision the run trained in).")
    var precision: Precision?

    var limits: ServiceLimits {
        var limits = ServiceLimits()
        limits.maxBodyBytes = maxBody
        limits.maxPixels = maxPixels
        limits.maxK = maxK
        limits.maxQueue = maxQueue
        limits.timeoutSeconds = timeout
        limits.maxBatch = maxBatch
        limits.batchWindowSeconds = batchWindowMs / 1000
        limits.workers = workers
        limits.computeThreads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        return limits
    }

    func validate() throws {
        guard maxBody > 0, maxPixels > 0, maxK > 0, maxQueue > 0, timeout > 0, maxBatch > 0, batchWindowMs >= 0, workers > 0 else {
            throw ValidationError("limits must be positive (the batch window may be 0)")
        }
    }

    /// The service over the index and checkpoint, its metrics on `factory`'s registry.
    func makeService(factory: PrometheusMetricsFactory, logger: Logger) throws -> SearchService {
        let opened = try GalleryIndex(contentsOf: URL(fileURLWithPath: index))
        let saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
        return try SearchService(index: opened, checkpoint: saved, precision: precision, limits: limits, metricsFactory: factory, logger: logger)
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MLServe

/// `dml bench serve`: a bounded load on the search service over loopback at several client counts —
/// throughput, p50/p99 latency, failures and the mean batch the service formed.
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Load the search service with 1, 8 and 64 concurrent clients; print throughput and latency.",
        discussion: """
            Starts the service in this process on a free loopback port (or loads one already running with \
            --port). Each client keeps one connection and posts the query image (--image, default: gallery \
            item 0's image) to /search?k=10 again and again for --seconds.
            """)

    @OptionGroup var service: ServeOptions
    @Option(help: "Load a service already running on this loopback port instead of starting one.") var port: Int?
    @Option(help: "Client counts, comma-separated.") var clients = "1,8,64"
    @Option(help: "Seconds of load per client count.") var seconds = 10.0
    @Option(help: "The query image (JPEG or PNG).") var image: String?
    @Flag(help: "Print one JSON object per client count.") var json = false

    func run() async throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let counts = clients.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), seconds > 0 else {
            throw ValidationError("--clients needs positive counts and --seconds a positive time")
        }
        if let port {
            try await measure(port: port, counts: counts)
            return
        }
        var logger = Logger(label: "dml.bench.serve")
        logger.logLevel = .error
        let search = try service.makeService(factory: SearchService.metricsFactory(), logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: search.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              services: [BatcherService(batcher: search.batcher)],
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            try await measure(port: port, counts: counts)
            group.cancelAll()
        }
    }

    private func measure(port: Int, counts: [Int]) async throws {
        let body = try await onThread { try queryImage(port: port) }
        if !json { print("POST /search?k=10 with a \(body.count)-byte image, \(seconds) s per level") }
        for count in counts {
            let before = try await onThread { try batchTotals(port: port) }
            let load = LoadTest(port: port, clients: count, seconds: seconds) { _, _ in
                ("POST", "/search?k=10", [("Content-Type", "application/octet-stream")], body)
            }
            let result = await onThread { load.run() }
            let after = try await onThread { try batchTotals(port: port) }
            let meanBatch = (after.sum - before.sum) / max(after.count - before.count, 1)
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = .sortedKeys
                var object = try JSONSerialization.jsonObject(with: try encoder.encode(result)) as? [String: Any] ?? [:]
                object["mean_batch"] = (meanBatch * 100).rounded() / 100
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self))
            } else {
                print(String(format: "%3d clients: %6d requests, %d failed, %7.1f requests/s, p50 %7.1f ms, p99 %7.1f ms, mean batch %.1f",
                             count, result.requests, result.failures, result.requestsPerSecond, result.p50Milliseconds,
                             result.p99Milliseconds, meanBatch))
                if let failure = result.firstFailure { print("  first failure: \(failure)") }
            }
        }
    }

    /// The query: --image's bytes, or the image of gallery item 0.
    private func queryImage(port: Int) throws -> [UInt8] {
        if let image {
            guard let data = FileManager.default.contents(atPath: image) else { throw ValidationError("cannot read \(image)") }
            return [UInt8](data)
        }
        let response = try HTTPConnection(port: port).send("GET", "/items/0/image")
        guard response.status == 200 else { throw ValidationError("item 0 has no image (\(response.status)); pass --image") }
        return response.body
    }

    /// The batch-size histogram's sum and count from /metrics.
    private func batchTotals(port: Int) throws -> (sum: Double, count: Double) {
        let text = try HTTPConnection(port: port).send("GET", "/metrics").text
        func value(_ name: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }
        return (value("dml_search_batch_size_sum"), value("dml_search_batch_size_count"))
    }
}

/// Runs blocking work on a thread of its own, keeping Swift's cooperative threads (which serve the
/// requests) free.
func onThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

func onThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

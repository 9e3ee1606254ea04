import Foundation

/// A bounded load on a loopback service: `clients` threads, each with its own keep-alive connection,
/// sending requests one after another for `seconds` (or until `maxRequests` in all). Reports throughput,
/// latency percentiles and failed requests (any status but 200, or a connection error).
package struct LoadTest: Sendable {
    package let port: Int
    package let clients: Int
    package let seconds: Double
    package let maxRequests: Int
    /// The request client c sends as its i-th: method, path, headers, body.
    package let request: @Sendable (_ client: Int, _ number: Int) -> (String, String, [(String, String)], [UInt8])

    package init(port: Int, clients: Int, seconds: Double, maxRequests: Int = .max,
                 request: @escaping @Sendable (Int, Int) -> (String, String, [(String, String)], [UInt8])) {
        self.port = port
        self.clients = clients
        self.seconds = seconds
        self.maxRequests = maxRequests
        self.request = request
    }

    /// What a run measured.
    package struct Result: Sendable, Codable {
        package let clients: Int
        package let requests: Int
        package let failures: Int
        package let seconds: Double
        package let requestsPerSecond: Double
        package let p50Milliseconds: Double
        package let p99Milliseconds: Double
        /// The first failure's description, if any.
        package let firstFailure: String?
    }

    /// Runs the load and waits for every client to finish its last request.
    package func run() -> Result {
        let record = Record()
        let start = Date()
        let end = start.addingTimeInterval(seconds)
        let group = DispatchGroup()
        for client in 0..<clients {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                var connection: HTTPConnection?
                var number = 0
                while Date() < end, record.claim(limit: maxRequests) {
                    let (method, path, headers, body) = request(client, number)
                    number += 1
                    let began = DispatchTime.now().uptimeNanoseconds
                    do {
                        if connection == nil { connection = try HTTPConnection(port: port, timeout: 30) }
                        let response = try connection?.send(method, path, headers: headers, body: body)
                        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
                        if response?.status == 200 { record.success(elapsed) } else {
                            record.failure("status \(response?.status ?? 0): \(response?.text.prefix(200) ?? "")")
                        }
                    } catch {
                        connection = nil
                        record.failure("\(error)")
                    }
                }
            }
        }
        group.wait()
        return record.result(clients: clients, seconds: Date().timeIntervalSince(start))
    }

    /// Shared counters of the client threads.
    private final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = 0
        private var latencies: [Double] = []
        private var failures = 0
        private var firstFailure: String?

        func claim(limit: Int) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard claimed < limit else { return false }
            claimed += 1
            return true
        }

        func success(_ milliseconds: Double) {
            lock.lock()
            latencies.append(milliseconds)
            lock.unlock()
        }

        func failure(_ description: String) {
            lock.lock()
            failures += 1
            if firstFailure == nil { firstFailure = description }
            lock.unlock()
        }

        func result(clients: Int, seconds: Double) -> Result {
            lock.lock()
            defer { lock.unlock() }
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
            }
            return Result(clients: clients, requests: sorted.count + failures, failures: failures, seconds: seconds,
                          requestsPerSecond: Double(sorted.count) / seconds, p50Milliseconds: percentile(0.5),
                          p99Milliseconds: percentile(0.99), firstFailure: firstFailure)
        }
    }
}

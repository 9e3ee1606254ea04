import ServiceLifecycle

/// Keeps the batcher's workers for the life of the service group and drains them on graceful shutdown.
/// Listed before the HTTP server, it shuts down after it: the server finishes its in-flight requests
/// (which still need the workers) first.
public struct BatcherService: Service {
    public let batcher: SearchBatcher

    public init(batcher: SearchBatcher) { self.batcher = batcher }

    public func run() async throws {
        try? await gracefulShutdown()
        batcher.shutdown()
    }
}

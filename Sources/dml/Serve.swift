import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import MLServe

/// `dml serve`: the search service over an index, with its page at `/`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve an index over HTTP: JSON search routes, Prometheus metrics and a page at /.",
        discussion: """
            Binds 127.0.0.1 unless --host says otherwise. SIGTERM or SIGINT stops accepting connections, \
            finishes the requests in flight, then exits. The index's HNSW/IVF file is trusted input: serve \
            only indexes you built.
            """)

    @OptionGroup var service: ServeOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port (0: any free port, printed at start).") var port = 8080

    func run() async throws {
        OpenMPEnvironment.preferPassiveWaiting()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "dml.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let factory = SearchService.metricsFactory()
        MetricsSystem.bootstrap(factory)
        let search = try service.makeService(factory: factory, logger: logger)
        let info = search.index.manifest
        let host = self.host
        let app = Application(
            router: search.router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(max(1, service.timeout.rounded(.up)))))),
            configuration: .init(address: .hostname(host, port: port), serverName: "dml"),
            services: [BatcherService(batcher: search.batcher)],
            onServerRunning: { channel in
                let line = "serving \(info.count) items (\(info.kind.rawValue)) on http://\(host):\(channel.localAddress?.port ?? 0)/\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            },
            logger: logger)
        try await app.runService()
        print("stopped")
    }
}

import Metrics
import CoreMetrics

/// The service's metrics, created from an injected factory (tests pass their own; `dml serve` the
/// Prometheus factory whose registry `/metrics` prints), never from the process-wide bootstrap.
///
/// - `dml_http_requests_total{route, status}`: answered requests.
/// - `dml_http_request_duration_seconds{route}`: time from routing to the response, a histogram.
/// - `dml_search_queue_depth`: searches waiting for a worker.
/// - `dml_search_batch_size`: searches per model forward, a histogram.
public struct ServiceMetrics: Sendable {
    let factory: any MetricsFactory
    let queueDepth: Meter
    let batchSize: Recorder

    public init(factory: any MetricsFactory) {
        self.factory = factory
        queueDepth = Meter(label: "dml_search_queue_depth", dimensions: [], factory: factory)
        batchSize = Recorder(label: "dml_search_batch_size", dimensions: [], aggregate: true, factory: factory)
    }

    /// Records one answered request of `route` with `status` after `nanoseconds`.
    func record(route: String, status: Int, nanoseconds: Int64) {
        Counter(label: "dml_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory)
            .increment()
        Timer(label: "dml_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }
}

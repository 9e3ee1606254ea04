import Dispatch
import Hummingbird
import Logging

/// Counts and times every request by route and status, and logs it (structured: method, route, status,
/// milliseconds) — also when the handler throws.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        func record(_ status: Int) {
            let nanoseconds = Int64(DispatchTime.now().uptimeNanoseconds - start)
            let route = context.endpointPath ?? "unmatched"
            metrics.record(route: route, status: status, nanoseconds: nanoseconds)
            context.logger.info("request", metadata: [
                "method": "\(request.method)", "route": "\(route)", "status": "\(status)",
                "ms": "\(Double(nanoseconds / 1_000) / 1_000)",
            ])
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch {
            record((error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }
}

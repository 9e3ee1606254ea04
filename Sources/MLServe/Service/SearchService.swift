import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MLEngine
import MLIndex
import MLServeRequests
import MLTraining
import Prometheus

/// The search service: a gallery index, the model that embeds queries (on the batcher's workers), the
/// item images, limits, metrics and logs, and the routes over them.
///
/// - `GET /` the page; `GET /health`; `GET /info`; `GET /metrics` (Prometheus text)
/// - `POST /search?k=` an image (raw JPEG/PNG or a multipart form); `POST /search/embedding?k=` a vector
///   (`{"embedding": […]}`); `POST /search/item/{id}?k=` a gallery item's neighbours, itself left out
/// - `GET /items/{id}` an item's id, label and class; `GET /items/{id}/image`; `GET /sample?count=&seed=`
///   random items for the page to offer
public struct SearchService: Sendable {
    public let index: GalleryIndex
    public let batcher: SearchBatcher
    public let preprocessor: QueryPreprocessor
    public let images: ItemImages
    public let limits: ServiceLimits
    public let metrics: ServiceMetrics
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    public let logger: Logger

    /// A service of `index` with `checkpoint`'s model in `precision` (nil: the precision the run trained in),
    /// metrics from `metricsFactory`'s registry.
    /// - Throws: `IndexError` when the checkpoint is not the model that built the index; `PrecisionError`
    ///   when this CPU cannot run `precision`.
    public init(index: GalleryIndex, checkpoint: Checkpoint, precision: Precision? = nil, limits: ServiceLimits,
                metricsFactory: PrometheusMetricsFactory, logger: Logger) throws {
        let differences = index.manifest.model.differences(from: ModelIdentity(checkpoint))
        guard differences.isEmpty else {
            throw IndexError(path: index.url.path, "the checkpoint is not the model that built this index: "
                + differences.joined(separator: "; "))
        }
        let models = try (0..<max(1, limits.workers)).map { _ in try checkpoint.makeModel(precision: precision) }
        let size = checkpoint.transforms.imageSize
        metrics = ServiceMetrics(factory: metricsFactory)
        self.index = index
        self.limits = limits
        self.logger = logger
        registry = metricsFactory.registry
        preprocessor = try QueryPreprocessor(transforms: checkpoint.transforms, maxPixels: limits.maxPixels)
        images = ItemImages(index: index)
        batcher = SearchBatcher(index: index, models: models, inputShape: [3, size, size], limits: limits,
                                metrics: metrics, logger: logger)
    }

    /// The Prometheus factory the service expects: request latency buckets from 1 ms to 10 s, batch-size
    /// buckets 1 to 64, on `registry`.
    public static func metricsFactory(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000].map { .milliseconds($0) }
        factory.valueHistogramBuckets["dml_search_batch_size"] = [1, 2, 4, 8, 16, 32, 64]
        return factory
    }

    /// The routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: WebPage.html)))
        }
        router.get("/health") { _, _ in
            try json(["status": "ok", "items": String(index.count), "kind": index.manifest.kind.rawValue])
        }
        router.get("/info") { _, _ in try json(info) }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/sample") { request, _ in try json(sample(request)) }
        router.get("/items/:id") { _, context in try json(describe(try itemID(context), score: nil)) }
        router.get("/items/:id/image") { _, context in
            let image = try images.image(of: try itemID(context))
            return Response(status: .ok, headers: [.contentType: image.contentType, .cacheControl: "max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: image.bytes)))
        }
        router.post("/search") { request, _ in
            let start = DispatchTime.now()
            let k = try self.k(request)
            let input = try preprocessor.input(from: try await imageBytes(request))
            return try respond(try await batcher.search(.image(input), k: k), query: nil, k: k, since: start)
        }
        router.post("/search/embedding") { request, _ in
            let start = DispatchTime.now()
            let k = try self.k(request)
            let vector = try embedding(try await body(request))
            return try respond(try await batcher.search(.embedding(vector), k: k), query: nil, k: k, since: start)
        }
        router.post("/search/item/:id") { request, context in
            let start = DispatchTime.now()
            let id = try itemID(context)
            let k = try self.k(request, excludingOne: true)
            let answer = try await batcher.search(.embedding(Array(index.embedding(of: id))), k: k, excluding: id)
            return try respond(answer, query: describe(id, score: nil), k: k, since: start)
        }
        return router
    }

    // MARK: Requests

    /// `k` from the query string (default 10), within 1...min(maxK, items available).
    func k(_ request: Request, excludingOne: Bool = false) throws -> Int {
        let available = min(limits.maxK, index.count - (excludingOne ? 1 : 0))
        guard let text = request.uri.queryParameters.get("k") else { return min(10, max(available, 1)) }
        guard let k = Int(text), (1...max(available, 1)).contains(k), available >= 1 else {
            throw ServiceError(.badRequest, "k must be an integer from 1 to \(available), got '\(text)'")
        }
        return k
    }

    func itemID(_ context: BasicRequestContext) throws -> Int {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int(text), (0..<index.count).contains(id) else {
            throw ServiceError(.notFound, "no item '\(text)'; ids run from 0 to \(index.count - 1)")
        }
        return id
    }

    /// The request body, refused above the size limit (413) or when empty (400).
    func body(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
            throw ServiceError(.contentTooLarge, "the body has \(length) bytes; the limit is \(limits.maxBodyBytes)")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limits.maxBodyBytes) } catch let error as any HTTPResponseError
            where error.status == .contentTooLarge {
            throw ServiceError(.contentTooLarge, "the body exceeds the limit of \(limits.maxBodyBytes) bytes")
        }
        guard buffer.readableBytes > 0 else { throw ServiceError(.badRequest, "the request has no body") }
        return Array(buffer.readableBytesView)
    }

    /// The image of a search request: the raw body, or a multipart form's file part.
    func imageBytes(_ request: Request) async throws -> [UInt8] {
        let bytes = try await body(request)
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/") else { return bytes }
        guard let boundary = MultipartForm.boundary(contentType: type) else {
            throw ServiceError(.badRequest, "a multipart body must be multipart/form-data with a boundary")
        }
        do {
            guard let part = try MultipartForm(bytes, boundary: boundary).imagePart, !part.body.isEmpty else {
                throw ServiceError(.badRequest, "the form has no file part (or a part named 'image') with content")
            }
            return Array(part.body)
        } catch let problem as MultipartForm.Problem {
            throw ServiceError(.badRequest, "malformed multipart body: \(problem)")
        }
    }

    /// The vector of `{"embedding": […]}`: the index's dimension, finite values.
    func embedding(_ bytes: [UInt8]) throws -> [Float] {
        struct Body: Decodable { let embedding: [Float] }
        let vector: [Float]
        do { vector = try JSONDecoder().decode(Body.self, from: Data(bytes)).embedding } catch {
            throw ServiceError(.badRequest, "the body must be JSON {\"embedding\": [\(index.dimension) numbers]}")
        }
        guard vector.count == index.dimension else {
            throw ServiceError(.badRequest, "the embedding has \(vector.count) values; the index's have \(index.dimension)")
        }
        if let bad = vector.firstIndex(where: { !$0.isFinite }) {
            throw ServiceError(.badRequest, "embedding value \(bad) is not finite")
        }
        return vector
    }

    // MARK: Answers

    var info: IndexInfo {
        IndexInfo(kind: index.manifest.kind, distance: index.manifest.distance.rawValue, count: index.count,
                  dimension: index.dimension, classes: index.manifest.classes, model: index.manifest.model,
                  maxK: min(limits.maxK, index.count), images: index.manifest.sources.contains { $0.kind != .vectors },
                  imageSize: index.manifest.model.imageSize)
    }

    func describe(_ id: Int, score: Float?) -> ItemDescription {
        ItemDescription(id: id, label: index.labels[id], className: index.className(of: id), score: score,
                        image: index.source(of: id).source.kind == .vectors ? nil : "/items/\(id)/image")
    }

    /// `count` (1...100, default 12) distinct random items, from `seed` when given.
    func sample(_ request: Request) throws -> [ItemDescription] {
        let text = request.uri.queryParameters.get("count") ?? "12"
        guard let count = Int(text), (1...100).contains(count) else {
            throw ServiceError(.badRequest, "count must be an integer from 1 to 100, got '\(text)'")
        }
        let seed = request.uri.queryParameters.get("seed").flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        var generator = SeededGenerator(seed: seed)
        let ids = generator.choose(min(count, index.count), from: Array(0..<index.count))
        return ids.map { describe($0, score: nil) }
    }

    func respond(_ answer: SearchBatcher.Answer, query: ItemDescription?, k: Int, since start: DispatchTime) throws -> Response {
        let took = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        return try json(SearchResponse(query: query, k: k, kind: index.manifest.kind, distance: index.manifest.distance.rawValue,
                                       tookMs: (took * 1000).rounded() / 1000, batchSize: answer.batchSize,
                                       items: answer.hits.map { describe($0.id, score: $0.score) }))
    }
}

/// `value` as a JSON response.
func json(_ value: some Encodable) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
}

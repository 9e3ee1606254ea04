import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MLData
import MLEngine
import MLIndex
import MLServe
import MLTraining
import Prometheus
import TestSupport

/// An exact index of the tiny dataset's 60 images ("all" split) embedded by `TinyCheckpoint`, built once
/// per process, and services over it with chosen limits and a metrics registry of their own.
enum ServiceFixture {
    struct Shared {
        let directory: TemporaryDirectory
        let index: URL
        let checkpoint: Checkpoint
        let split: DatasetSplit
    }

    nonisolated(unsafe) private static let shared = Result { () throws -> Shared in
        let (data, checkpointURL) = try TinyCheckpoint.make()
        let checkpoint = try Checkpoint.read(from: checkpointURL)
        let split = try Dataset.load(.fashionMNIST, at: data).split("all")
        let values = try checkpoint.makeEmbedder(workers: 1).embed(split).values.scalars
        let items = IndexItems(embeddings: values, classNames: split.labels.map { split.className(of: $0) },
                               source: .dataset(format: "fashion-mnist", root: data.path, split: "all", count: split.count))
        let directory = try TemporaryDirectory()
        let index = directory.url.appendingPathComponent("index")
        try GalleryIndex.create(at: index, settings: .init(kind: .exact), model: ModelIdentity(checkpoint), items: items, threads: 2)
        return Shared(directory: directory, index: index, checkpoint: checkpoint, split: split)
    }

    static func get() throws -> Shared { try shared.get() }

    /// Limits for tests: a long collection window so concurrent requests share batches.
    static func limits(_ edit: (inout ServiceLimits) -> Void = { _ in }) -> ServiceLimits {
        var limits = ServiceLimits()
        limits.batchWindowSeconds = 0.05
        edit(&limits)
        return limits
    }

    /// A service over the shared index with the model in `precision` (nil: the run's), its metrics in a fresh registry.
    static func service(_ limits: ServiceLimits = limits(), precision: Precision? = nil) throws -> (SearchService, PrometheusCollectorRegistry) {
        let shared = try get()
        let registry = PrometheusCollectorRegistry()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let service = try SearchService(index: try GalleryIndex(contentsOf: shared.index), checkpoint: shared.checkpoint,
                                        precision: precision, limits: limits, metricsFactory: SearchService.metricsFactory(registry: registry),
                                        logger: logger)
        return (service, registry)
    }

    /// Runs `body` with an application of `service` under HummingbirdTesting's `setup`, then drains the batcher.
    static func test<Value: Sendable>(_ service: SearchService, _ setup: TestingSetup = .router,
                                      _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = Application(router: service.router())
        defer { service.batcher.shutdown() }
        return try await app.test(setup, body)
    }

    /// Gallery image `index` as a PNG file's bytes.
    static func png(_ index: Int) throws -> [UInt8] {
        guard case .grey(let width, let height, let pixels) = try get().split.input(at: index) else { return [] }
        return [UInt8](RGBImage(width: width, height: height, grayscale: Array(pixels)).pngData())
    }

    /// What `dml search` computes for `image`: the test transform, a forward of the image alone in `precision`
    /// (nil: the run's), the exact search.
    static func reference(_ image: [UInt8], k: Int, precision: Precision? = nil) throws -> [SearchHit] {
        let shared = try get()
        let decoded = try image.withUnsafeBytes { try ImageDecoder().decode($0, path: "query") }
        var generator = SeededGenerator(seed: 0)
        let input = shared.checkpoint.transforms.test().tensor(from: decoded, using: &generator)
        let query = try shared.checkpoint.makeModel(precision: precision).forward(input.reshaped([1] + input.shape), training: false)
        let index = try GalleryIndex(contentsOf: shared.index)
        return try index.search(query.scalars, k: k, threads: 2)[0]
    }
}

/// A search answer as the tests read it.
struct Answer: Decodable {
    struct Item: Decodable {
        let id: Int
        let label: Int
        let `class`: String
        let score: Float?
        let image: String?
    }

    let query: Item?
    let k: Int
    let kind: String
    let took_ms: Double
    let batch_size: Int
    let items: [Item]
}

extension TestResponse {
    func decoded<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(body.readableBytesView))
    }

    var text: String { String(buffer: body) }
}

extension ServiceFixture {
    /// The class name of gallery image `index`.
    static func classOf(_ index: Int) -> String {
        guard let split = try? get().split else { return "" }
        return split.className(of: split.labels[index])
    }
}

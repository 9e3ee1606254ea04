import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MLData
import MLEngine
import MLIndex
@testable import MLServe
import MLServeRequests
import TestSupport
import Testing

/// Every route and every limit of the service, through HummingbirdTesting's router client, plus one
/// run over a real socket. Serialized: each test starts model workers of its own.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SearchServiceTests {
    @Test func healthInfoPageAndMetrics() async throws {
        let (service, _) = try ServiceFixture.service()
        try await ServiceFixture.test(service) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok && health.text.contains("\"items\":\"60\""), "\(health.text)")
            let info = try await client.execute(uri: "/info", method: .get).decoded(IndexInfo.self)
            #expect(info.kind == .exact && info.count == 60 && info.dimension == 512 && info.images)
            #expect(info.classes.sorted() == FashionMNIST.classNames.sorted())
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            // Self-contained: no external script, style or font.
            #expect(page.text.contains("<script>") && !page.text.contains("src=\"http") && !page.text.contains("href=\"http"))
            _ = try await client.execute(uri: "/search/item/3?k=2", method: .post)
            _ = try await client.execute(uri: "/items/nope", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            for expected in ["dml_http_requests_total{route=\"/search/item/{id}\",status=\"200\"} 1",
                             "dml_http_requests_total{route=\"/items/{id}\",status=\"404\"} 1",
                             "dml_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.001\"}",
                             "dml_search_batch_size_count 1", "dml_search_queue_depth 0"] {
                #expect(metrics.text.contains(expected), "\(expected) not in\n\(metrics.text)")
            }
        }
    }

    @Test func imageSearchMatchesTheCommandLineSearch() async throws {
        let (service, _) = try ServiceFixture.service()
        let image = try ServiceFixture.png(17)
        let reference = try ServiceFixture.reference(image, k: 8)
        try await ServiceFixture.test(service) { client in
            let raw = try await client.execute(uri: "/search?k=8", method: .post, headers: [.contentType: "image/png"],
                                               body: ByteBuffer(bytes: image))
            #expect(raw.status == .ok, "\(raw.text)")
            let answer = try raw.decoded(Answer.self)
            Self.expectSame(answer.items, reference)
            #expect(answer.items.first?.id == 17, "a gallery image finds itself first")
            #expect(answer.items[0].class == ServiceFixture.classOf(17) && answer.items[0].image == "/items/17/image")
            // The same image as a browser's multipart form.
            let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
            let form = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                + image + Array("\r\n--\(boundary)--\r\n".utf8)
            let multipart = try await client.execute(uri: "/search?k=8", method: .post,
                                                     headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                                                     body: ByteBuffer(bytes: form))
            Self.expectSame(try multipart.decoded(Answer.self).items, reference)
        }
    }

    /// Concurrent requests are batched, and each still gets what it would get alone.
    /// `dml serve --precision bf16`: the workers' models run in bf16, so the answer is a bf16 forward's, which
    /// differs from the fp32 one (else the precision was dropped on the way).
    @Test(.enabled(if: Engine.hasNativeBFloat16, "bf16 inference needs AVX512_BF16 (oneDNN ISA avx512_core_bf16)"))
    func bf16ServiceAnswersWithABFloat16Forward() async throws {
        let (service, _) = try ServiceFixture.service(precision: .bf16)
        let image = try ServiceFixture.png(17)
        let bf16 = try ServiceFixture.reference(image, k: 8, precision: .bf16)
        let fp32 = try ServiceFixture.reference(image, k: 8, precision: .fp32)
        #expect(bf16.map(\.score) != fp32.map(\.score), "bf16 and fp32 forwards gave the same scores")
        try await ServiceFixture.test(service) { client in
            let response = try await client.execute(uri: "/search?k=8", method: .post, headers: [.contentType: "image/png"],
                                                    body: ByteBuffer(bytes: image))
            #expect(response.status == .ok, "\(response.text)")
            Self.expectSame(try response.decoded(Answer.self).items, bf16)
        }
    }

    @Test func concurrentRequestsShareBatchesAndKeepTheirAnswers() async throws {
        let (service, _) = try ServiceFixture.service()
        let queries = Array(stride(from: 0, to: 60, by: 5))
        let references = try queries.map { try ServiceFixture.reference(try ServiceFixture.png($0), k: 10) }
        let images = try queries.map { try ServiceFixture.png($0) }
        let batches = try await ServiceFixture.test(service) { client in
            try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
                for (number, image) in images.enumerated() {
                    group.addTask {
                        let k = 5 + number % 6  // different k in one batch
                        let response = try await client.execute(uri: "/search?k=\(k)", method: .post, body: ByteBuffer(bytes: image))
                        return (number, try response.decoded(Answer.self))
                    }
                }
                var sizes: [Int] = []
                for try await (number, answer) in group {
                    #expect(answer.items.count == 5 + number % 6)
                    Self.expectSame(answer.items, Array(references[number].prefix(answer.items.count)))
                    sizes.append(answer.batch_size)
                }
                return sizes
            }
        }
        #expect(batches.contains { $0 > 1 }, "no request shared a batch: \(batches)")
    }

    @Test func embeddingAndItemSearches() async throws {
        let (service, _) = try ServiceFixture.service()
        let index = service.index
        try await ServiceFixture.test(service) { client in
            let vector = Array(index.embedding(of: 9))
            let body = try JSONEncoder().encode(["embedding": vector])
            let byVector = try await client.execute(uri: "/search/embedding?k=5", method: .post, body: ByteBuffer(bytes: body))
            let expected = try index.search(vector, k: 5, threads: 1)[0]
            Self.expectSame(try byVector.decoded(Answer.self).items, expected)

            let byItem = try await client.execute(uri: "/search/item/9?k=5", method: .post).decoded(Answer.self)
            #expect(byItem.query?.id == 9 && byItem.query?.class == ServiceFixture.classOf(9))
            let six = try index.search(vector, k: 6, threads: 1)[0]
            #expect(byItem.items.map(\.id) == six.map(\.id).filter { $0 != 9 })
            #expect(byItem.items.allSatisfy { $0.class == ServiceFixture.classOf($0.id) })

            let item = try await client.execute(uri: "/items/9", method: .get).decoded(Answer.Item.self)
            #expect(item.id == 9 && item.label == index.labels[9] && item.score == nil)
            let image = try await client.execute(uri: "/items/9/image", method: .get)
            #expect(image.headers[.contentType] == "image/png")
            #expect(try ImageHeader(Array(image.body.readableBytesView)) == ImageHeader(try ServiceFixture.png(9)))
            let sample = try await client.execute(uri: "/sample?count=7&seed=3", method: .get).decoded([Answer.Item].self)
            #expect(sample.count == 7 && Set(sample.map(\.id)).count == 7)
        }
    }

    @Test func badRequestsGetClearErrors() async throws {
        var (service, _) = try ServiceFixture.service(ServiceFixture.limits { $0.maxBodyBytes = 4_096; $0.maxPixels = 1_000_000 })
        try await ServiceFixture.test(service) { client in
            func expect(_ uri: String, method: HTTPRequest.Method = .post, type: String? = nil, body: [UInt8]? = nil,
                        _ status: HTTPResponse.Status, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                var headers: HTTPFields = [:]
                if let type { headers[.contentType] = type }
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
                #expect(response.status == status, "\(uri): \(response.status) \(response.text)", sourceLocation: sourceLocation)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
                #expect(response.text.contains(fragment), "\(uri): \(response.text)", sourceLocation: sourceLocation)
            }
            let png = try ServiceFixture.png(0)
            try await expect("/search", body: [UInt8](repeating: 7, count: 5_000), .contentTooLarge, "limit is 4096")
            try await expect("/search", body: Array("GIF89a not an image".utf8), .unsupportedMediaType, "not a JPEG or PNG")
            try await expect("/search", body: Array(png.prefix(40)), .badRequest, "cannot decode image")
            // A PNG header declaring 100000 × 100000 pixels is refused before any decoding.
            var bomb = Array(png.prefix(33))
            bomb.replaceSubrange(16..<24, with: [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0])
            try await expect("/search", body: bomb, .contentTooLarge, "10000000000 pixels")
            try await expect("/search", .badRequest, "no body")
            for k in ["0", "61", "abc", "-1"] { try await expect("/search?k=\(k)", body: png, .badRequest, "k must be an integer from 1 to 60") }
            try await expect("/search/item/3?k=60", .badRequest, "from 1 to 59")
            try await expect("/search/item/60", .notFound, "ids run from 0 to 59")
            try await expect("/items/-1/image", method: .get, .notFound, "no item")
            try await expect("/search/embedding", body: Array("{\"embedding\": [1, 2]}".utf8), .badRequest, "has 2 values")
            try await expect("/search/embedding", body: Array("[1, 2]".utf8), .badRequest, "must be JSON")
            let form = Array("--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--b--\r\n".utf8)
            try await expect("/search", type: "multipart/form-data; boundary=b", body: form, .badRequest, "no file part")
            try await expect("/search", type: "multipart/form-data; boundary=b", body: Array("--b\r\nno end".utf8),
                             .badRequest, "malformed multipart")
            try await expect("/search", type: "multipart/form-data", body: png, .badRequest, "with a boundary")
            try await expect("/sample?count=1000", method: .get, .badRequest, "count must be")
        }
        // A full queue answers 503 with Retry-After, and so does a search that waited past the timeout.
        (service, _) = try ServiceFixture.service(ServiceFixture.limits { $0.maxQueue = 0 })
        try await ServiceFixture.test(service) { client in
            let response = try await client.execute(uri: "/search/item/1", method: .post)
            #expect(response.status == .serviceUnavailable && response.headers[.retryAfter] == "1", "\(response.text)")
            #expect(response.text.contains("too many searches waiting"))
        }
        (service, _) = try ServiceFixture.service(ServiceFixture.limits { $0.timeoutSeconds = 1e-9 })
        try await ServiceFixture.test(service) { client in
            let response = try await client.execute(uri: "/search/item/1", method: .post)
            #expect(response.status == .serviceUnavailable && response.text.contains("waited more than"), "\(response.text)")
        }
    }

    @Test func refusesAnotherModel() throws {
        let shared = try ServiceFixture.get()
        var other = shared.checkpoint
        other.configuration.imageSize = 28
        let error = #expect(throws: IndexError.self) {
            try SearchService(index: try GalleryIndex(contentsOf: shared.index), checkpoint: other, limits: ServiceLimits(),
                              metricsFactory: SearchService.metricsFactory(), logger: .init(label: "test"))
        }
        #expect(error?.reason.contains("preprocessing fashion-mnist at 28 px") == true, "\(String(describing: error))")
    }

    @Test func servesOverARealSocket() async throws {
        let (service, _) = try ServiceFixture.service()
        let image = try ServiceFixture.png(33)
        try await ServiceFixture.test(service, .live) { client in
            #expect(client.port != nil)
            let response = try await client.execute(uri: "/search?k=3", method: .post, headers: [.contentType: "image/png"],
                                                    body: ByteBuffer(bytes: image))
            #expect(response.status == .ok)
            #expect(try response.decoded(Answer.self).items.first?.id == 33)
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok && page.text.contains("similarity search"))
        }
    }

    /// Same ids in order; scores within 1e-6 (the batch's forward may round differently from a lone one).
    static func expectSame(_ got: [Answer.Item], _ expected: [SearchHit], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.map(\.id) == expected.map(\.id), sourceLocation: sourceLocation)
        for (item, hit) in zip(got, expected) {
            #expect(abs((item.score ?? .nan) - hit.score) <= 1e-6, "item \(item.id): \(String(describing: item.score)) vs \(hit.score)",
                    sourceLocation: sourceLocation)
        }
    }
}

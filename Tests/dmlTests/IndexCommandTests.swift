import Foundation
@testable import MLData
import MLFormats
import MLServe
@testable import MLTraining
import TestSupport
import Testing

/// `dml index build/add/info`, `dml search --index` and `dml serve` as a user runs them, on the tiny
/// dataset embedded by `TinyCheckpoint`.
@Suite(.serialized, .timeLimit(.minutes(10))) struct IndexCommandTests {
    /// An exact index of the tiny dataset's "all" split (60 items) built by the command, in `directory`.
    static func buildIndex(in directory: TemporaryDirectory, kind: String = "exact") throws -> (index: URL, checkpoint: URL, data: URL) {
        let (data, checkpoint) = try TinyCheckpoint.make()
        let index = directory.url.appendingPathComponent("index-\(kind)")
        let built = try CommandRunner.dml(["index", "build", "--checkpoint", checkpoint.path, "--data", data.path,
                                           "--format", "fashion-mnist", "--split", "all", "--kind", kind, "--out", index.path])
        #expect(built.status == 0, "\(built.text)")
        #expect(built.text.contains("60 items of dimension 512, 10 classes"), "\(built.text)")
        return (index, checkpoint, data)
    }

    /// Gallery image `index` of the tiny dataset written as a PNG file.
    static func queryImage(_ index: Int, data: URL, in directory: TemporaryDirectory) throws -> URL {
        let split = try Dataset.load(.fashionMNIST, at: data).split("all")
        guard case .grey(let width, let height, let pixels) = try split.input(at: index) else { throw TrainingError.invalidRun("not grey") }
        return try directory.write("query-\(index).png", bytes: [UInt8](RGBImage(width: width, height: height, grayscale: Array(pixels)).pngData()))
    }

    @Test func buildAddInfoAndSearch() throws {
        let directory = try TemporaryDirectory()
        let (index, checkpoint, data) = try Self.buildIndex(in: directory, kind: "hnsw")
        // An image folder of two classes, one image a symbolic link out of the gallery.
        let outside = try directory.write("outside/secret.png", bytes: [UInt8](RGBImage(width: 4, height: 4, red: 9, green: 9, blue: 9).pngData()))
        let query = try Self.queryImage(12, data: data, in: directory)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("gallery/Bag"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: query, to: directory.url.appendingPathComponent("gallery/Bag/copy.png"))
        try directory.write("gallery/Zebra/z.png", bytes: [UInt8](RGBImage(width: 30, height: 20, red: 200, green: 10, blue: 10).pngData()))
        try FileManager.default.createSymbolicLink(at: directory.url.appendingPathComponent("gallery/Zebra/link.png"), withDestinationURL: outside)

        let added = try CommandRunner.dml(["index", "add", "--checkpoint", checkpoint.path, "--images",
                                           directory.url.appendingPathComponent("gallery").path, "--index", index.path])
        #expect(added.status == 0 && added.text.contains("added 3 items (ids 60–62); 63 in all"), "\(added.text)")
        // Embeddings from dml embed keep their class names.
        let embeddings = directory.url.appendingPathComponent("test.safetensors")
        let embedded = try CommandRunner.dml(["embed", "--checkpoint", checkpoint.path, "--data", data.path, "--split", "test",
                                              "--out", embeddings.path])
        #expect(embedded.status == 0, "\(embedded.text)")
        let vectors = try CommandRunner.dml(["index", "add", "--checkpoint", checkpoint.path, "--embeddings", embeddings.path,
                                             "--index", index.path])
        #expect(vectors.status == 0 && vectors.text.contains("added 10 items (ids 63–72); 73 in all"), "\(vectors.text)")
        let info = try CommandRunner.dml(["index", "info", index.path])
        #expect(info.status == 0, "\(info.text)")
        for expected in ["hnsw index (m 32, ef_construction 200, ef_search 96), 73 items of dimension 512, cosine",
                         "11 classes: ", "Bag (9)", "Zebra (2)", "Sandal (8)", "ids 0–59: fashion-mnist all split",
                         "ids 60–62: image files under", "ids 63–72: vectors from \(embeddings.path) (no images)",
                         "ann.3.bin", "items.3.safetensors"] {
            #expect(info.text.contains(expected), "'\(expected)' not in\n\(info.text)")
        }
        // Another model is refused, and the index is left as it was.
        var other = try Checkpoint.read(from: checkpoint)
        other.configuration.imageSize = 28
        let otherURL = directory.url.appendingPathComponent("other.safetensors")
        try other.write(to: otherURL)
        let refused = try CommandRunner.dml(["index", "add", "--checkpoint", otherURL.path, "--data", data.path, "--format",
                                             "fashion-mnist", "--split", "test", "--index", index.path])
        #expect(refused.status != 0 && refused.text.contains("is not the model that built this index"), "\(refused.text)")
        #expect(try CommandRunner.dml(["index", "info", index.path]).text.contains("73 items"))

        // dml search prints class names; the image itself and its copy in the gallery tie, the lower id first.
        let found = try CommandRunner.dml(["search", "--checkpoint", checkpoint.path, "--index", index.path, "--image", query.path, "-k", "3"])
        #expect(found.status == 0, "\(found.text)")
        let lines = found.text.split(separator: "\n")
        #expect(lines.count == 4, "\(found.text)")
        #expect(lines[1].contains(" 12  Pullover ") && lines[1].contains("fashion-mnist all image 12"), "\(found.text)")
        #expect(lines[2].contains(" 60  Bag ") && lines[2].hasSuffix("Bag/copy.png"), "\(found.text)")

        // The service never serves a file outside the gallery, even through a link inside it.
        let server = try CommandRunner.Server(["--index", index.path, "--checkpoint", checkpoint.path])
        let link = try server.send("GET", "/items/61/image")
        #expect(link.status == 403 && link.text.contains("outside the gallery"), "\(link.status) \(link.text)")
        let inside = try server.send("GET", "/items/60/image")
        #expect(inside.status == 200 && inside.headers["content-type"] == "image/png")
        #expect(server.stop() == 0, "\(server.output)")
    }

    /// `/search` gives `dml search`'s items and scores, and SIGTERM lets a request in flight finish.
    @Test func serviceAnswersLikeTheCommandAndDrainsOnSIGTERM() throws {
        let directory = try TemporaryDirectory()
        let (index, checkpoint, data) = try Self.buildIndex(in: directory)
        let query = try Self.queryImage(41, data: data, in: directory)
        let command = try CommandRunner.dml(["search", "--checkpoint", checkpoint.path, "--index", index.path,
                                             "--image", query.path, "-k", "10", "--json"])
        #expect(command.status == 0, "\(command.text)")
        struct Row: Decodable { let id: Int; let score: Float; let `class`: String }
        let expected = try JSONDecoder().decode([Row].self, from: Data(command.text.utf8))

        let server = try CommandRunner.Server(["--index", index.path, "--checkpoint", checkpoint.path, "--batch-window-ms", "200"])
        let image = [UInt8](try Data(contentsOf: query))
        let answer = try server.send("POST", "/search?k=10", headers: [("Content-Type", "image/png")], body: image)
        #expect(answer.status == 200, "\(answer.text)")
        struct Answer: Decodable { struct Item: Decodable { let id: Int; let score: Float; let `class`: String }; let items: [Item] }
        let items = try JSONDecoder().decode(Answer.self, from: Data(answer.body)).items
        #expect(items.map(\.id) == expected.map(\.id) && items.map(\.class) == expected.map(\.class))
        for (got, want) in zip(items, expected) { #expect(abs(got.score - want.score) <= 1e-6, "\(got.id): \(got.score) vs \(want.score)") }

        // A request waits in the 200 ms collection window when SIGTERM arrives; it is still answered.
        let result = Box<HTTPConnection.Response>()
        let port = server.port
        let thread = Thread { result.value = try? HTTPConnection(port: port).send("POST", "/search?k=3", headers: [], body: image) }
        thread.start()
        Thread.sleep(forTimeInterval: 0.05)
        #expect(server.stop() == 0, "\(server.output)")
        while thread.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
        #expect(result.value?.status == 200, "in-flight request: \(String(describing: result.value?.status))\n\(server.output)")
        #expect(server.output.contains("stopped"))
    }

    /// A bounded load at 1, 8 and 64 clients: no failures, and at 64 clients searches share forwards.
    @Test func benchServeLoadsWithoutFailures() throws {
        let directory = try TemporaryDirectory()
        let (index, checkpoint, _) = try Self.buildIndex(in: directory)
        let run = try CommandRunner.dml(["bench", "serve", "--index", index.path, "--checkpoint", checkpoint.path,
                                         "--clients", "1,8,64", "--seconds", "1.5", "--json"], timeout: 120)
        #expect(run.status == 0, "\(run.text)")
        struct Level: Decodable { let clients: Int; let requests: Int; let failures: Int; let mean_batch: Double }
        let levels = try run.text.split(separator: "\n").filter { $0.hasPrefix("{") }
            .map { try JSONDecoder().decode(Level.self, from: Data($0.utf8)) }
        #expect(levels.map(\.clients) == [1, 8, 64], "\(run.text)")
        #expect(levels.allSatisfy { $0.failures == 0 && $0.requests > 0 }, "\(run.text)")
        #expect((levels.last?.mean_batch ?? 0) > 1.5, "\(run.text)")
    }
}

/// A value set by another thread.
final class Box<Value>: @unchecked Sendable {
    var value: Value?
}

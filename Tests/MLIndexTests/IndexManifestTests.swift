import Foundation
@testable import MLIndex
import MLEvaluation
import TestSupport
import Testing

/// `index.json` is user input: every malformed field is refused with the file, the field and the reason.
@Suite struct IndexManifestTests {
    static let model = ModelIdentity(checkpointCRC32: "0123abcd", transforms: "fashion-mnist", imageSize: 32,
                                     mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// A valid manifest of two sources (3 files, 2 dataset images) with HNSW parameters.
    static func manifest() -> IndexManifest {
        var manifest = IndexManifest(kind: .hnsw, distance: .cosine, dimension: 4, model: model)
        _ = manifest.adopt(IndexItems(embeddings: [Float](repeating: 0.5, count: 12), classNames: ["cat", "dog", "cat"],
                                      source: .files(root: "/gallery", paths: ["cat/1.jpg", "dog/2.png", "cat/3.jpg"])))
        _ = manifest.adopt(IndexItems(embeddings: [Float](repeating: 0.5, count: 8), classNames: ["Bag", "cat"],
                                      source: .dataset(format: "fashion-mnist", root: "/data", split: "all", count: 2)))
        return manifest
    }

    /// The manifest's JSON with `edit` applied to its dictionary.
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try #require(try JSONSerialization.jsonObject(with: try manifest().encoded()) as? [String: Any])
        edit(&object)
        return [UInt8](try JSONSerialization.data(withJSONObject: object))
    }

    static func expectRefusal(field: String?, reasonContains fragment: String, _ bytes: [UInt8],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: IndexError.self, sourceLocation: sourceLocation) {
            try IndexManifest.decode(bytes, path: "/x/index.json")
        }
        #expect(error?.path == "/x/index.json", sourceLocation: sourceLocation)
        #expect(error?.field == field, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.reason.contains(fragment) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    @Test func roundTripsAndAdoptsClassNamesByName() throws {
        let manifest = Self.manifest()
        #expect(manifest.classes == ["cat", "dog", "Bag"])
        #expect(manifest.count == 5)
        let decoded = try IndexManifest.decode([UInt8](try manifest.encoded()), path: "index.json")
        #expect(decoded == manifest)
        #expect(try decoded.encoded() == (try manifest.encoded()))
    }

    /// The fuzzer's seeds (`Fuzz/make_corpus.py` writes them) are byte for byte what `encoded()` writes.
    @Test func theFuzzSeedsAreWhatTheEncoderWrites() throws {
        let folder = Fixture.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/index-manifest")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count == 3)
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            let manifest = try IndexManifest.decode(bytes, path: name)
            #expect(Array(try manifest.encoded()) == bytes, "\(name)")
        }
    }

    @Test func refusesBadTopLevelFields() throws {
        Self.expectRefusal(field: "format", reasonContains: "is not dml-index-1",
                           try Self.edited { $0["format"] = "dml-index-0" })
        Self.expectRefusal(field: "kind", reasonContains: "not valid JSON", try Self.edited { $0["kind"] = "lsh" })
        Self.expectRefusal(field: "dimension", reasonContains: "outside", try Self.edited { $0["dimension"] = 0 })
        Self.expectRefusal(field: "count", reasonContains: "outside", try Self.edited { $0["count"] = -1 })
        Self.expectRefusal(field: "sources", reasonContains: "count says 6", try Self.edited { $0["count"] = 6 })
        Self.expectRefusal(field: "generation", reasonContains: "not positive", try Self.edited { $0["generation"] = 0 })
        Self.expectRefusal(field: "classes[1]", reasonContains: "1 to 4096 bytes", try Self.edited { $0["classes"] = ["a", ""] })
        Self.expectRefusal(field: "distance", reasonContains: "missing", try Self.edited { $0["distance"] = nil })
        Self.expectRefusal(field: nil, reasonContains: "not valid JSON", Array("{\"format\": ".utf8))
        Self.expectRefusal(field: nil, reasonContains: "not valid JSON", [0xFF, 0xFE, 0x00])
    }

    @Test func refusesBadModelIdentity() throws {
        func model(_ key: String, _ value: Any) throws -> [UInt8] {
            try Self.edited { object in
                var model = object["model"] as? [String: Any] ?? [:]
                model[key] = value
                object["model"] = model
            }
        }
        Self.expectRefusal(field: "model.checkpoint_crc32", reasonContains: "hexadecimal", try model("checkpoint_crc32", "0123ABCD"))
        Self.expectRefusal(field: "model.image_size", reasonContains: "outside", try model("image_size", 0))
        Self.expectRefusal(field: "model.std", reasonContains: "positive", try model("std", [0.2, 0, 0.2]))
        Self.expectRefusal(field: "model.mean", reasonContains: "3 finite", try model("mean", [0.5]))
    }

    @Test func refusesGalleryPathsThatLeaveTheRoot() throws {
        func paths(_ paths: [String], root: String = "/gallery") throws -> [UInt8] {
            try Self.edited { object in
                var sources = object["sources"] as? [[String: Any]] ?? []
                sources[0]["paths"] = paths
                sources[0]["root"] = root
                object["sources"] = sources
            }
        }
        Self.expectRefusal(field: "sources[0].paths[1]", reasonContains: "'..'", try paths(["a.jpg", "../etc/passwd", "b.jpg"]))
        Self.expectRefusal(field: "sources[0].paths[2]", reasonContains: "'..'", try paths(["a.jpg", "b.jpg", "x/../../y.jpg"]))
        Self.expectRefusal(field: "sources[0].paths[0]", reasonContains: "absolute", try paths(["/etc/passwd", "b.jpg", "c.jpg"]))
        Self.expectRefusal(field: "sources[0].paths[0]", reasonContains: "NUL", try paths(["a\0.jpg", "b.jpg", "c.jpg"]))
        Self.expectRefusal(field: "sources[0].paths[1]", reasonContains: "empty", try paths(["a.jpg", "x//b.jpg", "c.jpg"]))
        Self.expectRefusal(field: "sources[0].paths", reasonContains: "one path per item", try paths(["a.jpg"]))
        // Examined as bytes: as Swift characters, "/" + a combining mark is one character that is not "/".
        Self.expectRefusal(field: "sources[0].paths[1]", reasonContains: "'..'", try paths(["a.jpg", "../\u{301}etc/passwd", "b.jpg"]))
        Self.expectRefusal(field: "sources[0].paths[0]", reasonContains: "absolute", try paths(["/\u{301}etc/passwd", "b.jpg", "c.jpg"]))
        Self.expectRefusal(field: "sources[0].root", reasonContains: "not an absolute path", try paths(["a", "b", "c"], root: "gallery"))
    }

    @Test func parametersMustMatchTheKind() throws {
        Self.expectRefusal(field: "hnsw", reasonContains: "needs hnsw parameters", try Self.edited { $0["hnsw"] = nil })
        Self.expectRefusal(field: "kind", reasonContains: "no hnsw or ivf", try Self.edited { $0["kind"] = "exact" })
        Self.expectRefusal(field: "hnsw.m", reasonContains: "outside 2...256", try Self.edited { object in
            object["hnsw"] = ["m": 1, "ef_construction": 10, "ef_search": 10]
        })
        Self.expectRefusal(field: "ivf.probes", reasonContains: "outside 1...8", try Self.edited { object in
            object["kind"] = "ivf"
            object["hnsw"] = nil
            object["ivf"] = ["lists": 8, "probes": 9]
        })
    }
}

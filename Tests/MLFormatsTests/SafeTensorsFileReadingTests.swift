import Foundation
@testable import MLEngine
@testable import MLFormats
import TestSupport
import Testing

@Suite struct SafeTensorsFileReadingTests {
    @Test func readsTheFileWrittenByPythonSafetensorsExactly() throws {
        let file = try SafeTensorsFile(contentsOf: Fixture.url("safetensors_reference.safetensors"))
        let reference = try FixtureFile("safetensors_reference.json")
        #expect(file.metadata == ["format": "pt", "note": "seeded 11, été"])
        #expect(Set(file.names) == ["a", "b", "c", "labels"])
        #expect(file.info("b")?.dtype == .float16)
        #expect(file.info("c")?.dtype == .bfloat16)
        for name in ["a", "b", "c"] {
            #expect(file.info(name)?.shape == reference[name].shape, "\(name)")
            #expect(try file.floats(named: name).map(Double.init) == reference[name].values, "\(name)")
        }
        #expect(try file.integers(named: "labels").map(Double.init) == reference["labels"].values)
        #expect(try file.integers(named: "labels").contains { $0 < 0 })
        // The F32 tensor is exactly the seeded stream the script drew from.
        var generator = SeededGenerator(seed: 11)
        #expect(try file.floats(named: "a") == generator.uniform(count: 12))
    }

    @Test func refusesFloatTensorsAsIntegersAndUnknownNames() throws {
        let file = try SafeTensorsFile(contentsOf: Fixture.url("safetensors_reference.safetensors"))
        #expect(throws: SafeTensorsError.self) { try file.integers(named: "a") }
        let error = #expect(throws: SafeTensorsError.self) { try file.floats(named: "missing") }
        #expect(error?.problem.contains("no tensor named 'missing'") == true)
    }

    /// A file with `header` (raw JSON text) and `dataLength` zero bytes of data.
    private func file(header: String, dataLength: Int) -> Data {
        var bytes = [UInt8]()
        bytes.appendLE(UInt64(header.utf8.count))
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: dataLength)
        return Data(bytes)
    }

    private func expectRejected(_ bytes: Data, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: SafeTensorsError.self, sourceLocation: sourceLocation) {
            try SafeTensorsFile(bytes: bytes, source: "bad.safetensors")
        }
        #expect(error?.file == "bad.safetensors", sourceLocation: sourceLocation)
        #expect(error?.problem.contains(fragment) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    private let f32 = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    @Test func acceptsAMinimalValidFile() throws {
        let parsed = try SafeTensorsFile(bytes: file(header: f32, dataLength: 8))
        #expect(try parsed.floats(named: "x") == [0, 0])
        #expect(try SafeTensorsFile(bytes: file(header: "{}", dataLength: 0)).names.isEmpty)
    }

    @Test func rejectsTruncatedFilesAndBadHeaderLengths() {
        expectRejected(Data([1, 2, 3]), "truncated file")
        var long = file(header: f32, dataLength: 8)
        long.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0])
        expectRejected(long, "runs past the end of the file")
        expectRejected(file(header: f32, dataLength: 8).prefix(40), "runs past the end of the file")
    }

    @Test func rejectsHeadersThatAreNotAJSONObject() {
        expectRejected(file(header: "{\"x\": ", dataLength: 0), "not valid JSON")
        expectRejected(file(header: "[1, 2]", dataLength: 0), "not a JSON object")
        expectRejected(file(header: #"{"__metadata__":{"a":1}}"#, dataLength: 0), "__metadata__ must map strings to strings")
        expectRejected(file(header: #"{"__metadata__":"text"}"#, dataLength: 0), "__metadata__ must map strings to strings")
        expectRejected(file(header: #"{"x":{"shape":[1],"data_offsets":[0,4]}}"#, dataLength: 4), "lacks a string 'dtype'")
        expectRejected(file(header: #"{"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, dataLength: 4), "lacks an integer array 'shape'")
    }

    @Test func rejectsUnknownDtypesAndMismatchedSpans() {
        expectRejected(file(header: #"{"x":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}"#, dataLength: 2), "unknown dtype 'F8'")
        expectRejected(file(header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataLength: 8), "needs 12 bytes")
        expectRejected(file(header: #"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, dataLength: 8), "negative dimension")
        expectRejected(file(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, dataLength: 8), "expected [begin, end]")
    }

    @Test func rejectsOverlapsGapsAndOutOfRangeOffsets() {
        let overlap = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectRejected(file(header: overlap, dataLength: 12), "overlap")
        let gap = #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectRejected(file(header: gap, dataLength: 8), "gap in the data buffer")
        expectRejected(file(header: f32, dataLength: 4), "outside the data buffer")
        expectRejected(file(header: #"{"x":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, dataLength: 8), "outside the data buffer")
        expectRejected(file(header: f32, dataLength: 12), "cover only 8")
    }

    @Test func namesTheFileWhenItCannotBeRead() {
        let error = #expect(throws: SafeTensorsError.self) {
            try SafeTensorsFile(contentsOf: URL(fileURLWithPath: "/nonexistent/weights.safetensors"))
        }
        #expect(error?.file == "/nonexistent/weights.safetensors")
    }
}

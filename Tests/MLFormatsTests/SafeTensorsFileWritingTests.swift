import Foundation
import MLEngine
@testable import MLFormats
import TestSupport
import Testing

@Suite struct SafeTensorsFileWritingTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func everyDtypeRoundTripsThroughAFile() throws {
        var generator = SeededGenerator(seed: 3)
        let x = generator.uniform(count: 12)
        var file = SafeTensorsFile(metadata: ["paths": #"["a \"quoted\" path\n"]"#, "arch": "resnet50"])
        for dtype in [TensorDType.float32, .float64] { file.add(floats: x, shape: [2, 3, 2], named: "x.\(dtype.rawValue)", as: dtype) }
        file.add(floats: [1, -2.5, 0.099975586, 65504], shape: [4], named: "half", as: .float16)
        let integers = [-3, 0, 7, 100, -100, 1]
        for dtype in [TensorDType.int64, .int32, .int16, .int8] {
            try file.add(integers: integers, shape: [2, 3], named: "i.\(dtype.rawValue)", as: dtype)
        }
        try file.add(integers: [0, 255, 9], named: "u8", as: .uint8)
        try file.add(integers: [1, 0, 1], named: "mask", as: .bool)
        try file.add(integers: [Int(Int64.max), Int(Int64.min)], named: "extremes")
        try file.add(integers: [42], shape: [], named: "scalar", as: .int32)
        file.add(floats: [], shape: [2, 0], named: "empty")

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("round.safetensors")
        try file.write(to: url)
        let read = try SafeTensorsFile(contentsOf: url)
        #expect(read.metadata == file.metadata)
        #expect(read.names == file.names)
        for dtype in [TensorDType.float32, .float64] {
            #expect(try read.floats(named: "x.\(dtype.rawValue)") == x)
            #expect(read.info("x.\(dtype.rawValue)")?.shape == [2, 3, 2])
        }
        #expect(try read.floats(named: "half") == [1, -2.5, 0.099975586, 65504])
        for dtype in [TensorDType.int64, .int32, .int16, .int8] {
            #expect(try read.integers(named: "i.\(dtype.rawValue)") == integers)
            #expect(try read.floats(named: "i.\(dtype.rawValue)") == integers.map(Float.init))
        }
        #expect(try read.integers(named: "u8") == [0, 255, 9])
        #expect(try read.integers(named: "mask") == [1, 0, 1])
        #expect(try read.integers(named: "extremes") == [Int(Int64.max), Int(Int64.min)])
        #expect(read.info("scalar")?.shape == [])
        #expect(try read.floats(named: "scalar") == [42])
        #expect(read.info("empty")?.shape == [2, 0])
        #expect(try read.floats(named: "empty").isEmpty)
        // The header is padded to a multiple of 8 bytes.
        let headerLength = try Data(contentsOf: url).prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(headerLength % 8 == 0)
    }

    @Test func bfloat16RoundsToNearestEven() throws {
        // bfloat16 keeps 7 fraction bits: 1 + 2⁻⁸ is a tie between 1 and 1 + 2⁻⁷ (→ even: 1);
        // 1 + 3·2⁻⁸ is a tie between 1 + 2⁻⁷ and 1 + 2⁻⁶ (→ even: 1 + 2⁻⁶); 1 + 2⁻⁸ + 2⁻²⁰ rounds up.
        let values: [Float] = [1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20, -2, .infinity]
        var file = SafeTensorsFile()
        file.add(floats: values, shape: [5], named: "b", as: .bfloat16)
        let read = try SafeTensorsFile(bytes: file.serialized())
        #expect(try read.floats(named: "b") == [1, 1 + 0x1p-6, 1 + 0x1p-7, -2, .infinity])
    }

    @Test func refusesIntegersOutsideTheDtype() {
        var file = SafeTensorsFile()
        let error = #expect(throws: SafeTensorsError.self) { try file.add(integers: [1, 300], named: "labels", as: .uint8) }
        #expect(error?.problem.contains("value 300 at index 1") == true)
    }

    @Test func pythonReadableHeaderLayout() throws {
        var file = SafeTensorsFile(metadata: ["k": "v"])
        try file.add(integers: [1, 2], named: "labels")
        file.add(floats: [0.5], shape: [1], named: "w")
        let bytes = file.serialized()
        let header = String(decoding: bytes[8...].prefix { $0 != 0 && $0 != 0x01 }, as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"v"},"labels":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}"#))
    }
}

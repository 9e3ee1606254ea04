import Foundation
@testable import MLFormats
import TestSupport
import Testing

@Suite("NumPyArray")
struct NumPyArrayTests {
    let expected: [Float] = (0..<12).map { Float($0) * 0.5 - 1 }

    func url(_ name: String) -> URL { Fixture.url("npy/\(name)") }

    @Test("reads numpy's float32, float64 and integer files")
    func reads() throws {
        for name in ["float32_3x4.npy", "float64_3x4.npy"] {
            let array = try NumPyArray(contentsOf: url(name))
            #expect(array.shape == [3, 4], "\(name)")
            #expect(array.floats() == expected, "\(name)")
        }
        #expect(try NumPyArray(contentsOf: url("int64_5.npy")).integers() == [3, -1, 7, 0, 1 << 40])
        #expect(try NumPyArray(contentsOf: url("int32_5.npy")).integers() == [3, -1, 7, 0, 9])
    }

    @Test("writes the bytes numpy writes")
    func writes() throws {
        let numpy = try Data(contentsOf: url("float32_3x4.npy"))
        #expect(NumPyArray.encoded(expected, shape: [3, 4]) == numpy)
    }

    @Test("a shape whose byte count overflows is refused")
    func overflowingShape() {
        // The probe's crash: 2^62 × 4 bytes wrapped to a size that matched nothing and trapped.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        let bytes = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8))
        let error = #expect(throws: DataFileError.self) { try NumPyArray(bytes: bytes, source: "wrap.npy") }
        #expect(error?.reason == "shape [4611686018427387904, 4] of F32 needs more bytes than memory can address")
    }

    @Test("a file that cannot be read is named")
    func unreadableFile() {
        let error = #expect(throws: DataFileError.self) {
            try NumPyArray(contentsOf: URL(fileURLWithPath: "/nonexistent/embeddings.npy"))
        }
        #expect(error?.path == "/nonexistent/embeddings.npy")
        #expect(error?.reason.hasPrefix("cannot read the file") == true)
    }

    @Test("bad files name the file and the problem")
    func badFiles() throws {
        let big = url("big_endian.npy").path
        #expect(throws: DataFileError(path: big, "unsupported dtype '>f4' (expected little-endian float or integer)")) {
            try NumPyArray(contentsOf: url("big_endian.npy"))
        }
        let fortran = url("fortran.npy").path
        #expect(throws: DataFileError(path: fortran, "Fortran-order arrays are not supported; save a C-order array")) {
            try NumPyArray(contentsOf: url("fortran.npy"))
        }
        let numpy = try Data(contentsOf: url("float32_3x4.npy"))
        #expect(throws: DataFileError(path: "cut.npy", "shape [3, 4] of F32 needs 48 data bytes, the file has 44")) {
            try NumPyArray(bytes: numpy.dropLast(4), source: "cut.npy")
        }
        #expect(throws: DataFileError(path: "x.npy", "not a .npy file (bad magic string)")) {
            try NumPyArray(bytes: Data("hello, world".utf8), source: "x.npy")
        }
        #expect(throws: DataFileError(path: url("float32_3x4.npy").path, "holds F32 values, expected integers")) {
            try NumPyArray(contentsOf: url("float32_3x4.npy")).integers()
        }
    }
}

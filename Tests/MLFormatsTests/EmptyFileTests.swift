import Foundation
@testable import MLFormats
import TestSupport
import Testing

/// Empty files are read without Foundation (which leaks a buffer for each, found by the fuzzers) and
/// refused by each reader with its own message.
@Suite struct EmptyFileTests {
    @Test func everyReaderRefusesAnEmptyFileNamingIt() throws {
        let dir = try TemporaryDirectory()
        let empty = try dir.write("empty", bytes: [])
        #expect(throws: SafeTensorsError(file: empty.path, problem: "truncated file: 0 bytes, shorter than the 8-byte header length")) {
            try SafeTensorsFile(contentsOf: empty)
        }
        #expect(throws: DataFileError(path: empty.path, "not a .npy file (bad magic string)")) { try NumPyArray(contentsOf: empty) }
        let zip = #expect(throws: PyTorchFileError.self) { try ZipArchive(contentsOf: empty) }
        #expect(zip?.file == empty.path && zip?.problem.hasPrefix("not a zip archive") == true)
        #expect(throws: DataFileError(path: empty.path, "truncated IDX file: 0 bytes, the header needs at least 4")) {
            try IDXFile(contentsOf: empty)
        }
        #expect(throws: DataFileError(path: empty.path, "truncated MAT file: 0 bytes, the header needs 128")) {
            try MATFile(contentsOf: empty)
        }
    }
}

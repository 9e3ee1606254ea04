import Foundation
@testable import MLFormats
import TestSupport
import Testing

@Suite struct IDXFileTests {
    @Test func readsGzippedAndPlainFiles() throws {
        let dir = try TemporaryDirectory()
        let values = (0..<300).map { UInt8($0 % 256) }
        let raw = TinyFashionMNIST.idxFile(shape: [3, 10, 10], values: values)
        let gz = try dir.write("images.gz", bytes: try TemporaryDirectory.gzip(raw))
        let plain = try dir.write("images", bytes: raw)
        for url in [gz, plain] {
            let file = try IDXFile(contentsOf: url)
            #expect(file.shape == [3, 10, 10])
            #expect(file.bytes == values)
        }
    }

    @Test func truncatedFilesNameTheFile() throws {
        let dir = try TemporaryDirectory()
        let raw = TinyFashionMNIST.idxFile(shape: [4, 5], values: Array(repeating: 7, count: 20))
        let shortContent = try dir.write("short.idx", bytes: Array(raw.dropLast(3)))
        let gz = try TemporaryDirectory.gzip(raw)
        let shortGzip = try dir.write("short.gz", bytes: Array(gz.prefix(gz.count / 2)))
        let tinyHeader = try dir.write("tiny.idx", bytes: [0, 0, 8])
        for url in [shortContent, shortGzip, tinyHeader] {
            let error = #expect(throws: DataFileError.self) { try IDXFile(contentsOf: url) }
            #expect(error?.path == url.path)
            #expect(error.map { $0.reason.contains("truncated") } == true, "\(String(describing: error))")
        }
    }

    @Test func missingAndForeignFilesAreRefused() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.url.appendingPathComponent("absent.gz")
        #expect(throws: DataFileError(path: missing.path, "file not found or unreadable")) { try IDXFile(contentsOf: missing) }
        let floats = try dir.write("floats.idx", bytes: [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        let error = #expect(throws: DataFileError.self) { try IDXFile(contentsOf: floats) }
        #expect(error?.reason.contains("0xd") == true)
    }
}

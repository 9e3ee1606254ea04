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

/// IDX files that lie about their size (found by the probe of issue 16 and by fuzzing).
@Suite struct IDXFileLimitTests {
    let raw = TinyFashionMNIST.idxFile(shape: [4, 5], values: Array(repeating: 7, count: 20))

    @Test func aForgedGzipTrailerIsRefused() throws {
        var gzip = try TemporaryDirectory.gzip(raw)
        // Claim 4 GB - 1 in the trailer; the size used to be allocated from it.
        gzip.replaceSubrange((gzip.count - 4)..<gzip.count, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let error = #expect(throws: DataFileError.self) { try IDXFile(bytes: gzip, path: "forged.gz") }
        #expect(error?.description == "forged.gz: corrupt compressed data: incorrect length check")
    }

    @Test func aGzipHeaderClaimingMoreThanTheDataIsRefusedBeforeAllocating() throws {
        // 60000 × 28 × 28 × 1000 values from a 40-byte gzip member.
        let header = TinyFashionMNIST.idxFile(shape: [60000, 28, 28, 1000], values: [])
        let error = #expect(throws: DataFileError.self) { try IDXFile(bytes: try TemporaryDirectory.gzip(header), path: "huge.gz") }
        #expect(error?.reason.hasPrefix("compressed data declares 47040000000 more bytes after 20") == true, "\(String(describing: error))")
    }

    @Test func aGzipStreamWithMoreThanTheShapeIsRefused() throws {
        let error = #expect(throws: DataFileError.self) {
            try IDXFile(bytes: try TemporaryDirectory.gzip(raw + [1, 2, 3]), path: "long.gz")
        }
        #expect(error?.reason == "compressed data expands beyond the 32 bytes declared")
    }

    @Test func shapesWhoseProductOverflowsAreRefused() {
        let header: [UInt8] = [0, 0, 8, 3] + Array(repeating: 0xFF, count: 12)
        let error = #expect(throws: DataFileError.self) { try IDXFile(bytes: header, path: "wrap.idx") }
        #expect(error?.reason == "IDX shape [4294967295, 4294967295, 4294967295] has more values than memory can address")
    }
}

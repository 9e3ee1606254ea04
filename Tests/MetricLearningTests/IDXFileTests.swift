import Foundation
import Testing
@testable import MetricLearning

@Suite struct IDXFileTests {
    /// An unsigned-byte IDX file of `shape` holding `values`.
    static func idx(shape: [Int], values: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for d in shape { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: d >> $0) } }
        return bytes + values
    }

    @Test func readsGzippedAndPlainFiles() throws {
        let dir = try TemporaryDirectory()
        let values = (0..<300).map { UInt8($0 % 256) }
        let raw = Self.idx(shape: [3, 10, 10], values: values)
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
        let raw = Self.idx(shape: [4, 5], values: Array(repeating: 7, count: 20))
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

    @Test(.enabled(if: FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory.path),
                   "Debian's dataset-fashion-mnist is not installed at /usr/share/datasets/fashion-mnist"))
    func readsDebianFashionMNIST() throws {
        let dir = FashionMNIST.defaultDirectory
        let images = try IDXFile(contentsOf: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        let labels = try IDXFile(contentsOf: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(images.shape == [10_000, 28, 28])
        #expect(labels.shape == [10_000])
        // Fashion-MNIST is balanced: 1,000 test images per class.
        #expect((0..<10).map { c in labels.bytes.filter { $0 == c }.count } == Array(repeating: 1000, count: 10))
    }
}

import Foundation
@testable import MLData
@testable import MLEngine
@testable import MLFormats
import TestSupport
import Testing

@Suite struct DatasetSplitPreloadTests {
    @Test func preloadedFilesGiveTheSameBytes() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a/1.jpg", "first")
        try dir.write("b/2.jpg", "second file")
        let split = DatasetSplit(name: "train", labels: [0, 1], source: .files(root: dir.url, paths: ["a/1.jpg", "b/2.jpg"]))
        let preloaded = try split.preloadingFiles()
        guard case .preloaded = preloaded.source else {
            Issue.record("not preloaded")
            return
        }
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("b/2.jpg"))
        guard case .encoded(let bytes, let path) = try preloaded.input(at: 1) else {
            Issue.record("preloaded input is not encoded bytes")
            return
        }
        #expect(bytes == Array("second file".utf8))
        #expect(path == dir.url.appendingPathComponent("b/2.jpg").path)
        #expect(throws: DataFileError.self) { try split.preloadingFiles() }
    }

    @Test func memoryCheckRefusesWhatDoesNotFit() throws {
        try AvailableMemory.check(700 << 20, for: "test", available: 1 << 30)
        #expect(throws: PreloadError("preloading x needs 800 MB; only 1024 MB are available and a quarter is kept for training — run without preloading")) {
            try AvailableMemory.check(800 << 20, for: "preloading x", available: 1 << 30)
        }
        #expect(try #require(AvailableMemory.bytes()) > 0)
    }

    @Test func preloadedResizedImagesGiveTheSameBatches() throws {
        let (dir, split) = try SampleWriterTests.folder()
        defer { withExtendedLifetime(dir) {} }
        let resize = Resize(.exact(height: 12, width: 12))
        let preloaded = try split.preloadingImages(bytesPerImage: 12 * 12 * 3, workers: 3) {
            var unused = SeededGenerator(seed: 0)
            return resize.apply(to: $0, using: &unused)
        }
        let crop = ImagePipeline([CenterCrop(10)])
        let plan = [[0, 1, 2, 3, 4, 5]]
        let fromFiles = try #require(try BatchLoader(split: split, height: 10, width: 10,
                                                     pipeline: ImagePipeline([resize, CenterCrop(10)])).load(plan, epoch: 0).next())
        let fromMemory = try #require(try BatchLoader(split: preloaded, height: 10, width: 10, pipeline: crop).load(plan, epoch: 0).next())
        #expect(fromMemory.images.scalars == fromFiles.images.scalars)
        #expect(throws: PreloadError.self) {
            try split.preloadingImages(bytesPerImage: Int.max / 4) { $0 }
        }
        let broken = try dir.write("class0/broken.png", "not an image")
        let withBroken = try Dataset.load(.folder, at: dir.url).splits[0]
        let error = #expect(throws: ImageDecodingError.self) { try withBroken.preloadingImages(bytesPerImage: 100, workers: 2) { $0 } }
        #expect(error?.path == broken.path)
    }
}

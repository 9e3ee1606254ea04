import Foundation
@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

/// The loader with the real decoding and transform pipeline, on the decoder's fixture images.
@Suite struct SampleWriterTests {
    static let images = ["rgb.jpg", "palette.png", "gray.jpg", "rgba.png", "progressive.jpg", "cmyk.jpg"]

    /// An image folder of the fixture images, two classes.
    static func folder() throws -> (TemporaryDirectory, DatasetSplit) {
        let dir = try TemporaryDirectory()
        for (i, name) in images.enumerated() { try dir.copyFixture("images/\(name)", to: "class\(i % 2)/\(name)") }
        return (dir, try Dataset.load(.folder, at: dir.url).splits[0])
    }

    @Test func batchesEqualDecodingAndTransformingEachImage() throws {
        let (dir, split) = try Self.folder()
        defer { withExtendedLifetime(dir) {} }
        let pipeline = ImagePipeline([Resize(.shorterSide(20)), CenterCrop(16)])
        let loader = BatchLoader(split: split, height: 16, width: 16, pipeline: pipeline, options: .init(workers: 2))
        let stream = loader.load([[0, 1, 2], [3, 4, 5]], epoch: 0)
        let decoder = ImageDecoder()
        var generator = SeededGenerator(seed: 0)
        for rows in [[0, 1, 2], [3, 4, 5]] {
            let batch = try #require(try stream.next())
            #expect(batch.images.shape == [3, 3, 16, 16])
            let expected = try rows.flatMap { index in
                pipeline.tensor(from: try decoder.decode(contentsOf: try #require(split.file(at: index)).path),
                                using: &generator).scalars
            }
            #expect(batch.images.scalars == expected)
            #expect(batch.labels == rows.map { split.labels[$0] })
        }
    }

    @Test func randomPipelineGivesTheSameBatchesWhateverTheWorkers() throws {
        let (dir, split) = try Self.folder()
        defer { withExtendedLifetime(dir) {} }
        let pipeline = TransformPreset.cub.train(imageSize: 24)
        let plan = [[5, 0, 3], [1, 4, 2]]
        let results = try [1, 3].map { workers in
            let stream = BatchLoader(split: split, height: 24, width: 24, pipeline: pipeline,
                                     options: .init(workers: workers, seed: 17)).load(plan, epoch: 1)
            return try [stream.next(), stream.next()].map { try #require($0).images.scalars }
        }
        #expect(results[0] == results[1])
    }

    @Test func corruptImageIsNamedOrSkipped() throws {
        let (dir, _) = try Self.folder()
        // A JPEG cut inside its header (the decoder returns a 0×0 image for it) and a file that is no image.
        let bad = try dir.write("class1/broken.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2])
        try dir.write("class1/text.png", "not an image")
        let split = try Dataset.load(.folder, at: dir.url).splits[0]
        let index = try #require((0..<split.count).first { split.file(at: $0) == bad })
        let pipeline = ImagePipeline([Resize(.exact(height: 8, width: 8))])
        let failing = BatchLoader(split: split, height: 8, width: 8, pipeline: pipeline).load([[index]], epoch: 0)
        let error = #expect(throws: SampleLoadingError.self) { try failing.next() }
        #expect(error?.sample == bad.path)
        let text = try #require((0..<split.count).first { split.file(at: $0)?.lastPathComponent == "text.png" })
        let skipping = BatchLoader(split: split, height: 8, width: 8, pipeline: pipeline,
                                   options: .init(skipBadImages: true)).load([[0, index, text]], epoch: 0)
        let batch = try #require(try skipping.next())
        #expect(batch.indices == [0])
        #expect(batch.skipped == [bad.path, dir.url.appendingPathComponent("class1/text.png").path])
    }

    @Test func wrongOutputSizeIsAnError() throws {
        let (dir, split) = try Self.folder()
        defer { withExtendedLifetime(dir) {} }
        let stream = BatchLoader(split: split, height: 8, width: 8, pipeline: ImagePipeline([CenterCrop(6)])).load([[0]], epoch: 0)
        let error = #expect(throws: SampleLoadingError.self) { try stream.next() }
        #expect(error.map { "\($0)".contains("the batch needs 8×8") } == true)
    }

    @Test func fashionMNISTGreyImagesBecomeRGBBatches() throws {
        let dir = try TemporaryDirectory()
        try FashionMNISTTests.make(dir, prefix: "train", labels: [0, 1, 2, 3])
        try FashionMNISTTests.make(dir, prefix: "t10k", labels: [5])
        let split = try Dataset.load(.fashionMNIST, at: dir.url).split("train")
        let stream = BatchLoader(split: split, height: 2, width: 3, pipeline: ImagePipeline([])).load([[2, 3]], epoch: 0)
        let batch = try #require(try stream.next())
        #expect(batch.images.shape == [2, 3, 2, 3])
        // Image i's pixels all equal i, replicated to the three channels, scaled to [0, 1].
        #expect(batch.images.scalars == Array(repeating: Float(2) / 255, count: 18) + Array(repeating: Float(3) / 255, count: 18))
    }
}

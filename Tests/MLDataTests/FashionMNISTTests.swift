import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct FashionMNISTTests {
    /// Tiny Fashion-MNIST files: 2×3 images whose pixels all equal their index, labels `labels`.
    static func make(_ dir: TemporaryDirectory, prefix: String, labels: [UInt8]) throws {
        let pixels = labels.indices.flatMap { Array(repeating: UInt8($0), count: 6) }
        try dir.write("\(prefix)-images-idx3-ubyte.gz",
                      bytes: try TemporaryDirectory.gzip(TinyFashionMNIST.idxFile(shape: [labels.count, 2, 3], values: pixels)))
        try dir.write("\(prefix)-labels-idx1-ubyte.gz",
                      bytes: try TemporaryDirectory.gzip(TinyFashionMNIST.idxFile(shape: [labels.count], values: labels)))
    }

    @Test func keepsClassesZeroToFourForTrainingAndFiveToNineForTest() throws {
        let dir = try TemporaryDirectory()
        try Self.make(dir, prefix: "train", labels: [0, 5, 4, 9, 2])
        try Self.make(dir, prefix: "t10k", labels: [1, 7, 5, 3, 9])
        let dataset = try Dataset.load(.fashionMNIST, at: dir.url)
        let train = try dataset.split("train"), test = try dataset.split("test")
        #expect(train.labels == [0, 2, 1])
        #expect(test.labels == [1, 0, 2])
        // Classes keep the dataset's names through the renumbering; "all" holds both files, classes 0–9.
        #expect(train.classNames == ["T-shirt/top", "Pullover", "Coat"])
        #expect(test.classNames == ["Sandal", "Sneaker", "Ankle boot"])
        let all = try dataset.split("all")
        #expect(all.labels == [0, 5, 4, 7, 2, 1, 6, 5, 3, 7])
        #expect(all.classNames == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Sneaker", "Ankle boot"])
        #expect(all.className(of: all.labels[3]) == "Ankle boot")
        guard case .grey(let images) = test.source else {
            Issue.record("Fashion-MNIST images are not held in memory")
            return
        }
        #expect(images.width == 3 && images.height == 2)
        #expect(Array(images[0]) == Array(repeating: 1, count: 6))
        #expect(Array(images[2]) == Array(repeating: 4, count: 6))
    }

    @Test func labelOutOfRangeAndMissingFilesAreNamed() throws {
        let dir = try TemporaryDirectory()
        try Self.make(dir, prefix: "train", labels: [0, 12])
        let labels = dir.url.appendingPathComponent("train-labels-idx1-ubyte.gz")
        #expect(throws: DataFileError(path: labels.path, "label 12 of item 1 is out of range 0...9")) {
            try Dataset.load(.fashionMNIST, at: dir.url)
        }
        try Self.make(dir, prefix: "train", labels: [0, 1])
        let testImages = dir.url.appendingPathComponent("t10k-images-idx3-ubyte.gz")
        #expect(throws: DataFileError(path: testImages.path, "file not found or unreadable")) {
            try Dataset.load(.fashionMNIST, at: dir.url)
        }
    }

    @Test func imagesOfNoPixelsAreRefused() throws {
        // The probe trained on 0 × 0 images; the file is otherwise valid.
        let dir = try TemporaryDirectory()
        try Self.make(dir, prefix: "t10k", labels: [5, 6])
        try dir.write("train-labels-idx1-ubyte", bytes: TinyFashionMNIST.idxFile(shape: [2], values: [0, 1]))
        let images = try dir.write("train-images-idx3-ubyte", bytes: TinyFashionMNIST.idxFile(shape: [2, 0, 0], values: []))
        #expect(throws: DataFileError(path: images.path, "expected images of shape [count, rows, columns] with at least one row and column, found shape [2, 0, 0]")) {
            try Dataset.load(.fashionMNIST, at: dir.url)
        }
    }

    /// Debian's files (which `tools/install-deps.sh` installs; missing, this test fails) have the protocol's counts.
    @Test func debianFilesHaveTheProtocolsCounts() throws {
        let dataset = try Dataset.load(.fashionMNIST, at: nil)
        for split in dataset.splits {
            let expected = try #require(DatasetFormat.fashionMNIST.expectedSizes[split.name])
            #expect(split.count == expected.images && split.classCount == expected.classes, "\(split.name)")
        }
    }

    /// Debian's dataset-fashion-mnist, which `tools/install-deps.sh` installs (missing, this test fails).
    @Test func readsDebianFashionMNIST() throws {
        let dir = FashionMNIST.defaultDirectory
        let images = try IDXFile(contentsOf: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        let labels = try IDXFile(contentsOf: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(images.shape == [10_000, 28, 28])
        #expect(labels.shape == [10_000])
        // Fashion-MNIST is balanced: 1,000 test images per class.
        #expect((0..<10).map { c in labels.bytes.filter { $0 == c }.count } == Array(repeating: 1000, count: 10))
    }
}

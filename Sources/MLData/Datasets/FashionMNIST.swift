import Foundation
import MLFormats

/// Fashion-MNIST from its gzip'd IDX files: train on classes 0–4 of the train split (30,000 images),
/// retrieve among classes 5–9 of the test split (5,000 images).
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    static func load(at root: URL) throws -> Dataset {
        Dataset(format: .fashionMNIST, root: root, splits: [
            try split("train", prefix: "train", classes: 0...4, root: root),
            try split("test", prefix: "t10k", classes: 5...9, root: root),
        ])
    }

    /// The images of `classes` in the `prefix` files (`<prefix>-images-idx3-ubyte[.gz]`, `…-labels-idx1-ubyte`).
    private static func split(_ name: String, prefix: String, classes: ClosedRange<UInt8>, root: URL) throws -> DatasetSplit {
        let imageFile = file(root, "\(prefix)-images-idx3-ubyte")
        let images = try IDXFile(contentsOf: imageFile)
        guard images.shape.count == 3, images.shape[1] > 0, images.shape[2] > 0 else {
            throw DataFileError(path: imageFile.path, "expected images of shape [count, rows, columns] with at least one "
                + "row and column, found shape \(images.shape)")
        }
        let labelFile = file(root, "\(prefix)-labels-idx1-ubyte")
        let labels = try IDXFile(contentsOf: labelFile)
        guard labels.shape == [images.shape[0]] else {
            throw DataFileError(path: labelFile.path, "\(labels.shape) labels do not match images of shape \(images.shape)")
        }
        if let bad = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw DataFileError(path: labelFile.path, "label \(labels.bytes[bad]) of item \(bad) is out of range 0...9")
        }
        let (height, width) = (images.shape[1], images.shape[2])
        let kept = labels.bytes.indices.filter { classes.contains(labels.bytes[$0]) }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(kept.count * height * width)
        for i in kept { pixels += images.bytes[(i * height * width)..<((i + 1) * height * width)] }
        return DatasetSplit(name: name, labels: ContiguousLabels.of(kept.map { labels.bytes[$0] }),
                            source: .grey(GreyImages(width: width, height: height, pixels: pixels)))
    }

    /// `name.gz` when it exists, else `name` (an uncompressed copy); errors name the .gz file.
    private static func file(_ root: URL, _ name: String) -> URL {
        let plain = root.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: plain.path) ? plain : root.appendingPathComponent(name + ".gz")
    }
}

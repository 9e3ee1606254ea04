import Foundation
import MLFormats

/// Fashion-MNIST from its gzip'd IDX files: train on classes 0–4 of the train split (30,000 images),
/// retrieve among classes 5–9 of the test split (5,000 images). The split "all" holds every image of both
/// files (70,000, classes 0–9: a gallery to serve). Classes carry the dataset's ten names.
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    /// The names of classes 0–9, as the dataset's authors give them.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    static func load(at root: URL) throws -> Dataset {
        let train = try read(prefix: "train", root: root), test = try read(prefix: "t10k", root: root)
        return Dataset(format: .fashionMNIST, root: root, splits: [
            train.split("train", classes: 0...4),
            test.split("test", classes: 5...9),
            try Labelled.concatenating(train, test).split("all", classes: 0...9),
        ])
    }

    /// One pair of IDX files: images (n × height × width) and their labels 0–9.
    private struct Labelled {
        let width: Int, height: Int
        let pixels: [UInt8]
        let labels: [UInt8]

        /// The images of `classes`, renumbered from 0 in class order and named.
        func split(_ name: String, classes: ClosedRange<UInt8>) -> DatasetSplit {
            let size = height * width
            let kept = classes == 0...9 ? Array(labels.indices) : labels.indices.filter { classes.contains(labels[$0]) }
            var images: [UInt8] = []
            if kept.count == labels.count {
                images = pixels
            } else {
                images.reserveCapacity(kept.count * size)
                for i in kept { images += pixels[(i * size)..<((i + 1) * size)] }
            }
            let ids = kept.map { labels[$0] }
            return DatasetSplit(name: name, labels: ContiguousLabels.of(ids),
                                source: .grey(GreyImages(width: width, height: height, pixels: images)),
                                classNames: ContiguousLabels.names(ids) { FashionMNIST.classNames[Int($0)] })
        }

        /// `first`'s images followed by `second`'s (which must have the same size).
        static func concatenating(_ first: Labelled, _ second: Labelled) throws -> Labelled {
            guard first.width == second.width, first.height == second.height else {
                throw DataFileError(path: "fashion-mnist", "train images are \(first.height)×\(first.width), test images \(second.height)×\(second.width)")
            }
            return Labelled(width: first.width, height: first.height, pixels: first.pixels + second.pixels,
                            labels: first.labels + second.labels)
        }
    }

    /// The `prefix` files (`<prefix>-images-idx3-ubyte[.gz]`, `…-labels-idx1-ubyte`).
    private static func read(prefix: String, root: URL) throws -> Labelled {
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
        return Labelled(width: images.shape[2], height: images.shape[1], pixels: images.bytes, labels: labels.bytes)
    }

    /// `name.gz` when it exists, else `name` (an uncompressed copy); errors name the .gz file.
    private static func file(_ root: URL, _ name: String) -> URL {
        let plain = root.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: plain.path) ? plain : root.appendingPathComponent(name + ".gz")
    }
}

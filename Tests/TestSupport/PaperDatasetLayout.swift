import Foundation
import MLData
import MLTraining

/// A tiny copy of one of the paper's datasets (CUB-200-2011, Cars196, Stanford Online Products, In-Shop) in
/// its official layout: the annotation files its reader takes and a real 256 × 256 JPEG (`TestPicture`) for
/// every image they list — the size the presets resize to, so their `Resize` passes the image through and
/// evaluating a thousand images stays cheap in a debug build. Training and test classes get their dataset's
/// id ranges (CUB: 1–100 and 101–200; Cars196: 1–98 and 99–196; SOP: from 1 and from 11,319; In-Shop: any
/// item ids). For In-Shop a test class's first image is its query and the others its gallery.
package enum PaperDatasetLayout {
    /// Writes the dataset into `subfolder` of `directory` and returns that folder. `trainImages[i]` and
    /// `testImages[i]` are the image counts of training and test class i. With `identicalImages` every image
    /// of a class is the same picture (the same file bytes), so any model embeds a class's images alike;
    /// otherwise image j of a class is variant j of its picture.
    @discardableResult
    package static func write(_ format: DatasetFormat, trainImages: [Int], testImages: [Int], identicalImages: Bool = true,
                              in directory: TemporaryDirectory, subfolder: String) throws -> URL {
        let images = entries(trainImages, "train") + entries(testImages, "test")
        var lines: [String] = []
        var cars: [(path: String, classID: Int)] = []
        var encoded: (picture: Int, variant: Int, bytes: [UInt8])?
        for (number, image) in images.enumerated() {
            let id = classID(format, image)
            let path: String
            switch format {
            case .cub:
                path = String(format: "%03d.Bird_%d/img_%d.jpg", id, id, number)
                lines.append("\(number + 1) \(path) \(id)")
            case .cars:
                path = String(format: "car_ims/%06d.jpg", number + 1)
                cars.append((path, id))
            case .sop:
                path = "product_final/\(id)_\(image.index).JPG"
                lines.append("\(image.split) \(number + 1) \(id) 1 \(path)")
            case .inshop:
                let item = String(format: "id_%08d", id)
                path = "img/WOMEN/Dresses/\(item)/\(String(format: "%02d", image.index + 1))_1_front.jpg"
                let status = image.split == "train" ? "train" : image.index == 0 ? "query" : "gallery"
                lines.append("\(path) \(item) \(status)")
            default:
                throw TrainingError.invalidRun("no paper layout for \(format.rawValue)")
            }
            let picture = image.split == "train" ? image.classIndex : 1000 + image.classIndex
            let variant = identicalImages ? 0 : image.index + 1
            if encoded?.picture != picture || encoded?.variant != variant {
                encoded = (picture, variant, try TestPicture.jpeg(picture, variant: variant, width: 256, height: 256))
            }
            let jpeg = encoded?.bytes ?? []
            try directory.write(subfolder + "/" + (format == .cub ? "images/" : "") + path, bytes: jpeg)
        }
        try writeAnnotations(format, lines: lines, cars: cars, in: directory, subfolder: subfolder)
        return directory.url.appendingPathComponent(subfolder)
    }

    /// One listed image: its split ("train" or "test"), its class's position in that split, and its
    /// position within the class.
    private struct Entry {
        let split: String
        let classIndex: Int
        let index: Int
    }

    private static func entries(_ counts: [Int], _ split: String) -> [Entry] {
        counts.enumerated().flatMap { classIndex, count in
            (0..<count).map { Entry(split: split, classIndex: classIndex, index: $0) }
        }
    }

    /// The dataset's own class id of an image's class.
    private static func classID(_ format: DatasetFormat, _ image: Entry) -> Int {
        let firstTestID = [DatasetFormat.cub: 101, .cars: 99, .sop: 11_319][format] ?? 1001
        return (image.split == "train" ? 1 : firstTestID) + image.classIndex
    }

    /// The annotation files: `lines` hold one row per image as built above (CUB: "id path class").
    private static func writeAnnotations(_ format: DatasetFormat, lines: [String], cars: [(path: String, classID: Int)],
                                         in directory: TemporaryDirectory, subfolder: String) throws {
        let folder = subfolder + "/"
        switch format {
        case .cub:
            let fields = lines.map { $0.split(separator: " ") }
            try directory.write(folder + "images.txt", fields.map { "\($0[0]) \($0[1])\n" }.joined())
            try directory.write(folder + "image_class_labels.txt", fields.map { "\($0[0]) \($0[2])\n" }.joined())
        case .cars:
            try directory.write(folder + "cars_annos.mat", bytes: MATBytes.carsAnnotations(cars))
        case .sop:
            let header = "image_id class_id super_class_id path\n"
            for split in ["train", "test"] {
                let rows = lines.filter { $0.hasPrefix(split + " ") }.map { $0.dropFirst(split.count + 1) + "\n" }
                try directory.write(folder + "Ebay_\(split).txt", header + rows.joined())
            }
        default:
            try directory.write(folder + "list_eval_partition.txt",
                                "\(lines.count)\nimage_name item_id evaluation_status\n" + lines.map { $0 + "\n" }.joined())
        }
    }
}

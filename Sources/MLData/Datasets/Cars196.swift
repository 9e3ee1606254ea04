import Foundation
import MLFormats

/// Cars196 in either layout: the original `car_ims/` + `cars_annos.mat`, or the devkit (`cars_train/`,
/// `cars_test/`, `devkit/cars_train_annos.mat`, `cars_test_annos_withlabels.mat`, the latter at the root or
/// in `devkit/`; image folders possibly nested as `cars_train/cars_train/`, as some mirrors ship them).
/// Both of the devkit's parts are pooled; train on classes 1–98, test on 99–196.
enum Cars196 {
    static func load(at root: URL) throws -> Dataset {
        let original = root.appendingPathComponent("cars_annos.mat")
        let images: [(String, Int)]
        if FileManager.default.fileExists(atPath: original.path) {
            images = try read(original, pathField: "relative_im_path", folder: "")
        } else if let trainAnnotations = firstExisting(root, ["devkit/cars_train_annos.mat", "cars_train_annos.mat"]) {
            guard let testAnnotations = firstExisting(root, ["cars_test_annos_withlabels.mat",
                                                             "devkit/cars_test_annos_withlabels.mat"]) else {
                throw DataFileError(path: root.appendingPathComponent("cars_test_annos_withlabels.mat").path,
                                    "missing Cars196 devkit test labels: expected this file (or devkit/…)")
            }
            images = try read(trainAnnotations, pathField: "fname", folder: imageFolder(root, "cars_train"))
                + read(testAnnotations, pathField: "fname", folder: imageFolder(root, "cars_test"))
        } else {
            throw DataFileError(path: original.path,
                                "missing Cars196 annotations: expected this file, or devkit/cars_train_annos.mat")
        }
        return Dataset(format: .cars, root: root, splits: [
            DatasetSplit(files: images.filter { $0.1 <= 98 }, root: root, name: "train"),
            DatasetSplit(files: images.filter { $0.1 > 98 }, root: root, name: "test"),
        ])
    }

    /// The (path, class) pairs of a `annotations` struct array.
    private static func read(_ url: URL, pathField: String, folder: String) throws -> [(String, Int)] {
        let annotations = try MATFile(contentsOf: url).variable("annotations")
        guard case .structure = annotations else {
            throw DataFileError(path: url.path, "'annotations' is not a struct array")
        }
        return try (0..<annotations.count).map { i in
            guard let path = annotations.field(pathField, at: i)?.string,
                  let label = annotations.field("class", at: i)?.scalar else {
                throw DataFileError(path: url.path, "annotation \(i + 1) lacks a '\(pathField)' string or a 'class' number")
            }
            guard label >= 1, label <= 196, label.rounded() == label else {
                throw DataFileError(path: url.path, "annotation \(i + 1): class \(label) is out of range 1...196")
            }
            if let problem = DatasetPath.problem(path) {
                throw DataFileError(path: url.path, "annotation \(i + 1): \(problem)")
            }
            return (folder + path, Int(label))
        }
    }

    /// `name/name/` when the images are nested one level deeper, else `name/`.
    private static func imageFolder(_ root: URL, _ name: String) -> String {
        root.appendingPathComponent("\(name)/\(name)").isExistingFolder ? "\(name)/\(name)/" : "\(name)/"
    }

    private static func firstExisting(_ root: URL, _ candidates: [String]) -> URL? {
        candidates.map { root.appendingPathComponent($0) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}

import Foundation
import MLFormats

/// Image folders: one subfolder per class (classes numbered in name order and named after their folder),
/// image files (.jpg, .jpeg, .png) inside. A folder holding `train/` and `test/` gives those two splits; any other folder one split
/// named "all".
enum ImageFolder {
    static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    static func load(at root: URL) throws -> Dataset {
        let train = root.appendingPathComponent("train"), test = root.appendingPathComponent("test")
        if train.isExistingFolder && test.isExistingFolder {
            return Dataset(format: .folder, root: root, splits: [try split("train", train, root: root),
                                                                 try split("test", test, root: root)])
        }
        return Dataset(format: .folder, root: root, splits: [try split("all", root, root: root)])
    }

    private static func split(_ name: String, _ folder: URL, root: URL) throws -> DatasetSplit {
        let prefix = folder == root ? "" : folder.lastPathComponent + "/"
        var images: [(String, String)] = []
        for classFolder in try contents(folder) where folder.appendingPathComponent(classFolder).isExistingFolder {
            for file in try contents(folder.appendingPathComponent(classFolder))
            where extensions.contains((file as NSString).pathExtension.lowercased()) {
                images.append((prefix + classFolder + "/" + file, classFolder))
            }
        }
        guard !images.isEmpty else {
            throw DataFileError(path: folder.path, "no class subfolders with .jpg/.jpeg/.png images")
        }
        return DatasetSplit(files: images, root: root, name: name, className: { $0 })
    }

    /// The visible entries of `folder`, sorted by name.
    private static func contents(_ folder: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataFileError(path: folder.path, "cannot list folder: \(error.localizedDescription)")
        }
    }
}

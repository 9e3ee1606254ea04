import Foundation
import MLFormats

extension DatasetSplit {
    /// The .jpg, .jpeg and .png files under `folder` (searched recursively, hidden entries skipped), in
    /// path order, as a split named "images" whose labels are all −1 (none).
    ///
    /// - Throws: `DataFileError` naming the folder when it cannot be listed or holds no image.
    public static func unlabelledImages(in folder: URL) throws -> DatasetSplit {
        guard folder.isExistingFolder, let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
            throw DataFileError(path: folder.path, "not a folder")
        }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
            } else if ImageFolder.extensions.contains((name as NSString).pathExtension.lowercased()),
                      enumerator.fileAttributes?[.type] as? FileAttributeType != .typeDirectory {
                paths.append(path)
            }
        }
        guard !paths.isEmpty else { throw DataFileError(path: folder.path, "no .jpg/.jpeg/.png images") }
        paths.sort()
        return DatasetSplit(name: "images", labels: Array(repeating: -1, count: paths.count),
                            source: .files(root: folder, paths: paths))
    }
}

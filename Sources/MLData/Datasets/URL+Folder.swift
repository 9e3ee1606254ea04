import Foundation

extension URL {
    /// Whether this path names an existing folder (following symbolic links).
    var isExistingFolder: Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}

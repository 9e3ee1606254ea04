import Foundation

/// A folder of this process's own (in /dev/shm when there is one) where dataset targets write the
/// input's files before loading the dataset from them.
enum ScratchFolder {
    static let url: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm")
            : FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("dml-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchFolder.url) }
        return url
    }()

    /// Replaces the folder's files by `files` (relative path → contents) and returns the folder.
    static func holding(_ files: [(String, [UInt8])]) throws -> URL {
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            try FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
        for (name, contents) in files { try Data(contents).write(to: url.appendingPathComponent(name)) }
        return url
    }
}

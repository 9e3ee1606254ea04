/// Image paths read from a dataset's annotation files, which come from wherever the dataset was
/// downloaded: each must name a file inside the dataset folder. Checked lexically — an absolute path, a
/// `..` that climbs above the folder, a path that comes back to the folder itself (".", "a/.."), an empty
/// path or a NUL byte is refused; symbolic links inside the
/// folder are the owner's choice and are followed (datasets are often assembled from links).
enum DatasetPath {
    /// Why `path` (relative to the dataset folder) does not stay inside it, or nil when it does.
    ///
    /// The path is examined as the file system sees it, byte by byte: as Swift characters, a "/"
    /// followed by a combining mark is one character that is not "/" (found by fuzzing the SOP lists).
    static func problem(_ path: some StringProtocol) -> String? {
        let bytes = Array(path.utf8), slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard !bytes.isEmpty else { return "empty image path" }
        guard !bytes.contains(0) else { return "image path contains a NUL byte" }
        guard bytes[0] != slash else { return "image path '\(path)' is absolute; it must be relative to the dataset folder" }
        var depth = 0
        for component in bytes.split(separator: slash) where component.elementsEqual([dot]) == false {
            depth += component.elementsEqual([dot, dot]) ? -1 : 1
            if depth < 0 { return "image path '\(path)' leads out of the dataset folder" }
        }
        return depth == 0 ? "image path '\(path)' names the dataset folder itself, not a file in it" : nil
    }
}

extension AnnotationText {
    /// `field` as an image path inside the dataset folder (see `DatasetPath`), or an error naming this
    /// file and `line`.
    func imagePath(_ field: some StringProtocol, line: Line) throws -> String {
        if let problem = DatasetPath.problem(field) { throw error(line, problem) }
        return String(field)
    }
}

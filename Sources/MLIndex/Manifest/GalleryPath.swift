/// The rule for the paths of gallery items: relative, inside their root, plain components.
public enum GalleryPath {
    /// Why `path` may not name a gallery item, or nil when it may: it must be non-empty, relative, at
    /// most 4,096 bytes, without NUL, and none of its components may be empty, "." or "..".
    public static func problem(_ path: String) -> String? {
        if path.isEmpty || path.utf8.count > 4_096 { return "a path must have 1 to 4096 bytes" }
        if path.contains("\0") { return "the path contains NUL" }
        if path.hasPrefix("/") { return "'\(path)' is absolute; gallery paths are relative to the root" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "'\(path)' has an empty, '.' or '..' component; gallery paths stay inside the root"
        }
        return nil
    }
}

/// The rule for the paths of gallery items: relative, inside their root, plain components.
public enum GalleryPath {
    /// Why `path` may not name a gallery item, or nil when it may: it must be non-empty, relative, at
    /// most 4,096 bytes, without NUL, and none of its components may be empty, "." or "..".
    ///
    /// The path is examined as the file system sees it, byte by byte: as Swift characters, a "/" followed
    /// by a combining mark is one character that is not "/", so `../\u{301}x` would pass as one component.
    public static func problem(_ path: String) -> String? {
        let bytes = Array(path.utf8), slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        if bytes.isEmpty || bytes.count > 4_096 { return "a path must have 1 to 4096 bytes" }
        if bytes.contains(0) { return "the path contains NUL" }
        if bytes[0] == slash { return "'\(path)' is absolute; gallery paths are relative to the root" }
        let components = bytes.split(separator: slash, omittingEmptySubsequences: false)
        if components.contains(where: { $0.isEmpty || $0.elementsEqual([dot]) || $0.elementsEqual([dot, dot]) }) {
            return "'\(path)' has an empty, '.' or '..' component; gallery paths stay inside the root"
        }
        return nil
    }
}

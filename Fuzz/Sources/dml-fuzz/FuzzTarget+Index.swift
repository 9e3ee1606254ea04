import MLIndex

extension FuzzTarget {
    /// An index's `index.json`, decoded and validated as an index opens it. What it accepts must keep the
    /// reader's promises: no gallery path climbs out of its root or is absolute, examined as bytes (as the
    /// file system sees it), and the manifest written back (`dml index add` rewrites it) decodes to itself.
    static let indexManifest = FuzzTarget("index-manifest") { bytes in
        let manifest = try IndexManifest.decode(bytes, path: "fuzz/index.json")
        for source in manifest.sources {
            for path in source.paths ?? [] where leavesTheRoot(path) {
                fatalError("an accepted gallery path leaves the root: \(Array(path.utf8))")
            }
        }
        let written = try manifest.encoded()
        guard (try? IndexManifest.decode(Array(written), path: "fuzz/index.json")) == manifest else {
            fatalError("the manifest written back does not decode to itself: \(String(decoding: written, as: UTF8.self))")
        }
        _ = (manifest.itemsFile, manifest.annFile)
    }

    /// Whether `path`, appended to a root, can name something outside it: absolute, or with a `..` component.
    private static func leavesTheRoot(_ path: String) -> Bool {
        let bytes = Array(path.utf8), slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        return bytes.first == slash || bytes.split(separator: slash).contains { $0.elementsEqual([dot, dot]) }
    }
}

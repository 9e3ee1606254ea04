extension MATBytes {
    /// A Cars196 `cars_annos.mat`: a 1 × n struct array `annotations` whose fields are `relative_im_path` (a
    /// char array) and `class` (a double), one element per (path, class) entry.
    package static func carsAnnotations(_ entries: [(path: String, classID: Int)]) -> [UInt8] {
        let fieldNames = ["relative_im_path", "class"].flatMap { Array($0.utf8) + [UInt8](repeating: 0, count: 32 - $0.utf8.count) }
        let elements = entries.map { entry in
            matrix(4, [1, Int32(entry.path.utf8.count)], element(16, Array(entry.path.utf8)))
                + matrix(6, [1, 1], element(9, withUnsafeBytes(of: Double(entry.classID).bitPattern.littleEndian, Array.init)))
        }
        return file(matrix(2, [1, Int32(entries.count)], name: "annotations",
                           element(5, le(32)), element(1, fieldNames), elements.joined().map { $0 }))
    }
}

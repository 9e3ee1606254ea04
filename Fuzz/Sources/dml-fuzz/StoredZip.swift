/// A zip archive of stored (uncompressed) entries, as `torch.save` writes them: the frame the `pickle`
/// target puts each input in, with the CRC-32 the reader checks.
enum StoredZip {
    /// `archive/version`, storages `archive/data/0` … `31` (512 bytes each), then `archive/data.pkl` = `pickle`.
    static func archive(pickle: [UInt8]) -> [UInt8] {
        let (header, directory) = entry("archive/data.pkl", pickle, offset: fixed.locals.count)
        let count = UInt16(fixed.count + 1), entries = fixed.directory + directory
        return fixed.locals + header + pickle + entries + le32(0x0605_4B50) + le16(0) + le16(0) + le16(count) + le16(count)
            + le32(UInt32(entries.count)) + le32(UInt32(fixed.locals.count + header.count + pickle.count)) + le16(0)
    }

    /// The local records and directory entries of the version and storage entries, made once.
    private static let fixed: (locals: [UInt8], directory: [UInt8], count: Int) = {
        let storage = (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let files = [("archive/version", Array("3\n".utf8))] + (0..<32).map { ("archive/data/\($0)", storage) }
        var locals: [UInt8] = [], directory: [UInt8] = []
        for (name, contents) in files {
            let (header, central) = entry(name, contents, offset: locals.count)
            locals += header + contents
            directory += central
        }
        return (locals, directory, files.count)
    }()

    /// The local header and the central directory entry of a stored entry at `offset`.
    private static func entry(_ name: String, _ contents: [UInt8], offset: Int) -> (local: [UInt8], central: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let sizes = le32(crc32(contents)) + le32(UInt32(contents.count)) + le32(UInt32(contents.count))
        let local = le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le32(0) + sizes + le16(UInt16(nameBytes.count)) + le16(0) + nameBytes
        let central = le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le32(0) + sizes
            + le16(UInt16(nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(offset)) + nameBytes
        return (local, central)
    }

    private static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc = ~UInt32(0)
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}

import Foundation
@testable import MLFormats
import TestSupport
import Testing

/// A deflated entry inflates to exactly the size its directory declares: a zip64 size of 2^62 is refused
/// before anything is allocated, a bomb stops at the declared size (the probe's `.pth` findings).
@Suite struct ZipArchiveLimitTests {
    @Test func aZip64SizeOf2To62IsRefusedBeforeAllocating() throws {
        let archive = try ZipArchive(bytes: Data(Self.deflatedArchive([UInt8](repeating: 7, count: 4096), declaring: 1 << 62)),
                                     source: "huge.pth")
        let entry = try #require(archive.entry(named: "a/data.pkl"))
        #expect(entry.uncompressedSize == 1 << 62)
        let error = #expect(throws: PyTorchFileError.self) { try archive.contents(of: entry) }
        #expect(error?.problem.hasPrefix("entry 'a/data.pkl': compressed data declares \(1 << 62) more bytes after 0") == true,
                "\(String(describing: error))")
    }

    @Test func aDeflateBombStopsAtTheDeclaredSize() throws {
        // 16 MB of zeros in about 16 KB, declared as 1 MB: inflation stops at 1 MB and the entry is refused.
        let bomb = [UInt8](repeating: 0, count: 16 << 20)
        let archive = try ZipArchive(bytes: Data(Self.deflatedArchive(bomb, declaring: 1 << 20)), source: "bomb.pth")
        let error = #expect(throws: PyTorchFileError.self) { try archive.contents(of: archive.entries[0]) }
        #expect(error?.problem == "entry 'a/data.pkl': compressed data expands beyond the \(1 << 20) bytes declared")
    }

    /// One deflated entry `a/data.pkl` holding `contents`, whose directory declares `size` bytes in a zip64
    /// extra field.
    static func deflatedArchive(_ contents: [UInt8], declaring size: UInt64) -> [UInt8] {
        let zlib = zlibCompressed(contents)
        let raw = Array(zlib[2..<(zlib.count - 4)])  // a zip entry holds deflate without zlib's header and trailer
        let name = Array("a/data.pkl".utf8)
        let sizes = le32(0) + le32(UInt32(raw.count)) + le32(0xFFFF_FFFF)  // CRC (never reached), sizes
        let local = le32(0x0403_4B50) + le16(45) + le16(0) + le16(8) + le32(0) + sizes + le16(UInt16(name.count)) + le16(0) + name
        let extra = le16(1) + le16(8) + le32(UInt32(truncatingIfNeeded: size)) + le32(UInt32(truncatingIfNeeded: size >> 32))
        let central = le32(0x0201_4B50) + le16(45) + le16(45) + le16(0) + le16(8) + le32(0) + sizes
            + le16(UInt16(name.count)) + le16(UInt16(extra.count)) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + name + extra
        let end = le32(0x0605_4B50) + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(central.count))
            + le32(UInt32(local.count + raw.count)) + le16(0)
        return local + raw + central + end
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { MATBytes.le(value) }
}

import CZlib
import Foundation

/// A read-only zip archive (what `torch.save` writes): the central directory is parsed on open, entries
/// are read on demand. Supports stored and deflated entries and zip64 sizes and offsets; no encryption,
/// no multi-disk archives. Every entry's CRC-32 is checked when it is read.
struct ZipArchive {
    struct Entry {
        let name: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// The archive's path (errors name it).
    let source: String
    /// The entries in central-directory order.
    let entries: [Entry]
    private let bytes: Data

    /// Opens the archive at `url` (memory-mapped).
    init(contentsOf url: URL) throws {
        try self.init(bytes: .mappedFile(at: url) { PyTorchFileError(file: url.path, problem: $0) }, source: url.path)
    }

    /// Parses the archive held in `bytes`.
    init(bytes: Data, source: String) throws {
        self.bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        self.source = source
        let reader = ByteReader(self.bytes)
        let fail = { (problem: String) in PyTorchFileError(file: source, problem: problem) }
        guard let end = Self.endOfCentralDirectory(reader) else {
            throw fail("not a zip archive (no end-of-central-directory record); only the zip format of torch.save (PyTorch ≥ 1.6) is supported")
        }
        var count = Int(reader.u16(end + 10)), size = Int(reader.u32(end + 12)), offset = Int(reader.u32(end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // zip64: a locator 20 bytes before the end record points at the zip64 end record.
            guard end >= 20, reader.u32(end - 20) == 0x0706_4B50,
                  let record = Int(exactly: reader.u64(end - 12)), record + 56 <= reader.count,
                  reader.u32(record) == 0x0606_4B50 else { throw fail("zip64 end-of-central-directory record is missing or damaged") }
            count = Int(clamping: reader.u64(record + 32))
            size = Int(clamping: reader.u64(record + 40))
            offset = Int(clamping: reader.u64(record + 48))
        }
        guard offset >= 0, size >= 0, offset <= reader.count - size else {
            throw fail("central directory (\(size) bytes at \(offset)) runs past the end of the file (\(reader.count) bytes)")
        }
        var entries: [Entry] = []
        var position = offset
        for index in 0..<count {
            guard position + 46 <= offset + size, reader.u32(position) == 0x0201_4B50 else {
                throw fail("central directory entry \(index) of \(count) is damaged")
            }
            let nameLength = Int(reader.u16(position + 28)), extraLength = Int(reader.u16(position + 30))
            let commentLength = Int(reader.u16(position + 32))
            guard position + 46 + nameLength + extraLength + commentLength <= offset + size else {
                throw fail("central directory entry \(index) runs past the directory")
            }
            let name = String(decoding: reader.slice(position + 46, nameLength), as: UTF8.self)
            var compressed = Int(reader.u32(position + 20)), uncompressed = Int(reader.u32(position + 24))
            var local = Int(reader.u32(position + 42))
            try Self.applyZip64(reader, extra: position + 46 + nameLength, length: extraLength,
                                uncompressed: &uncompressed, compressed: &compressed, offset: &local) {
                fail("entry '\(name)' has a damaged zip64 extra field")
            }
            entries.append(Entry(name: name, method: reader.u16(position + 10), flags: reader.u16(position + 8),
                                 crc32: reader.u32(position + 16), compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: local))
            position += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The entry named `name`, if any.
    func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The uncompressed contents of `entry`, checked against its CRC-32.
    func contents(of entry: Entry) throws -> [UInt8] {
        let fail = { (problem: String) in PyTorchFileError(file: source, problem: "entry '\(entry.name)': \(problem)") }
        let reader = ByteReader(bytes)
        let header = entry.localHeaderOffset
        guard header >= 0, header <= reader.count - 30, reader.u32(header) == 0x0403_4B50 else {
            throw fail("local header at \(header) is missing or damaged")
        }
        // The local extra field may differ from the central one (torch pads it to align the data).
        let start = header + 30 + Int(reader.u16(header + 26)) + Int(reader.u16(header + 28))
        guard entry.compressedSize >= 0, start <= reader.count - entry.compressedSize else {
            throw fail("data (\(entry.compressedSize) bytes at \(start)) runs past the end of the file (truncated?)")
        }
        guard entry.flags & 1 == 0 else { throw fail("encrypted entries are not supported") }
        let stored = reader.slice(start, entry.compressedSize)
        let result: [UInt8]
        switch entry.method {
        case 0: result = Array(stored)
        case 8:
            do {
                // Exactly the directory's size: a forged size fails before it is allocated, a bomb at it.
                let stream = try InflateStream(Array(stored), format: .raw, path: source)
                result = try stream.read(entry.uncompressedSize)
                try stream.finish()
            } catch let error as DataFileError {
                throw fail(error.reason)
            }
        default: throw fail("unsupported compression method \(entry.method) (only stored and deflate are supported)")
        }
        guard result.count == entry.uncompressedSize else {
            throw fail("expands to \(result.count) bytes, the directory says \(entry.uncompressedSize)")
        }
        let checksum = result.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32_z(0, buffer.baseAddress, buffer.count))
        }
        guard checksum == entry.crc32 else { throw fail("CRC-32 mismatch (damaged file)") }
        return result
    }

    /// The offset of the end-of-central-directory record (searched backwards over a possible comment).
    private static func endOfCentralDirectory(_ reader: ByteReader) -> Int? {
        guard reader.count >= 22 else { return nil }
        let lowest = max(0, reader.count - 22 - 0xFFFF)
        for position in stride(from: reader.count - 22, through: lowest, by: -1) where reader.u32(position) == 0x0605_4B50 {
            return position
        }
        return nil
    }

    /// Replaces saturated 32-bit fields with the values of a zip64 extra field (id 1), in the order the
    /// format stores them: uncompressed size, compressed size, local header offset.
    private static func applyZip64(_ reader: ByteReader, extra: Int, length: Int, uncompressed: inout Int,
                                   compressed: inout Int, offset: inout Int, failure: () -> PyTorchFileError) throws {
        var position = extra
        while position + 4 <= extra + length {
            let id = reader.u16(position), size = Int(reader.u16(position + 2))
            guard position + 4 + size <= extra + length else { throw failure() }
            if id == 1 {
                var field = position + 4
                func next() throws -> Int {
                    guard field + 8 <= position + 4 + size, let wide = Int(exactly: reader.u64(field)) else { throw failure() }
                    field += 8
                    return wide
                }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                if compressed == 0xFFFF_FFFF { compressed = try next() }
                if offset == 0xFFFF_FFFF { offset = try next() }
            }
            position += 4 + size
        }
    }
}

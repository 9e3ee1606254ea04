import Foundation
@testable import MLFormats
import TestSupport
import Testing

/// Inflation stops at the size a container declares and never allocates from a declaration alone.
@Suite struct InflateStreamTests {
    let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }

    @Test func readsExactlyTheDeclaredPieces() throws {
        let stream = try InflateStream(zlibCompressed(data), format: .zlibOrGzip, path: "x.z")
        #expect(try stream.read(10) + stream.read(4990) == data)
        try stream.finish()
    }

    @Test func refusesMoreThanTheDeclaredSize() throws {
        let stream = try InflateStream(zlibCompressed(data), format: .zlibOrGzip, path: "x.z")
        _ = try stream.read(4000)
        #expect(throws: DataFileError(path: "x.z", "compressed data expands beyond the 4000 bytes declared")) { try stream.finish() }
    }

    @Test func refusesADeclaredSizeTheCompressedBytesCannotHold() throws {
        // 2^62 bytes from a few hundred: refused before a byte is allocated.
        let compressed = zlibCompressed(data)
        let stream = try InflateStream(compressed, format: .zlibOrGzip, path: "x.z")
        let error = #expect(throws: DataFileError.self) { try stream.read(1 << 62) }
        #expect(error?.reason == "compressed data declares \(1 << 62) more bytes after 0, more than its remaining \(compressed.count) bytes can expand to")
    }

    @Test func aBombExpandsOnlyToTheDeclaredSize() throws {
        // 64 MB of zeros compress to about 64 KB; declaring 1 MB stops there.
        let bomb = zlibCompressed([UInt8](repeating: 0, count: 64 << 20))
        let stream = try InflateStream(bomb, format: .zlibOrGzip, path: "bomb.z")
        #expect(try stream.read(1 << 20).count == 1 << 20)
        #expect(throws: DataFileError.self) { try stream.finish() }
    }

    @Test func refusesStreamsThatEndEarly() throws {
        let compressed = zlibCompressed(data)
        let cut = try InflateStream(Array(compressed.prefix(compressed.count / 2)), format: .zlibOrGzip, path: "cut.z")
        let error = #expect(throws: DataFileError.self) { try cut.read(data.count) }
        #expect(error?.reason.contains("truncated") == true, "\(String(describing: error))")
        let short = try InflateStream(compressed, format: .zlibOrGzip, path: "short.z")
        let shortError = #expect(throws: DataFileError.self) { try short.read(data.count + 1) }
        #expect(shortError?.reason == "compressed data ends after 5000 decompressed bytes, 5001 declared (truncated file?)")
    }

    @Test func checksTheGzipTrailer() throws {
        var gzip = try TemporaryDirectory.gzip(data)
        gzip[gzip.count - 1] ^= 0x40  // the length modulo 2^32 no longer matches
        let stream = try InflateStream(gzip, format: .zlibOrGzip, path: "x.gz")
        let error = #expect(throws: DataFileError.self) {
            _ = try stream.read(data.count)
            try stream.finish()
        }
        #expect(error?.reason == "corrupt compressed data: incorrect length check")
    }
}

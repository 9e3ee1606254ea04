import Foundation
@testable import MLFormats
import TestSupport
import Testing

/// MAT files whose dimensions, nesting or compression lie (the probe of issue 16, and fuzzing).
@Suite struct MATFileLimitTests {
    private func error(_ bytes: [UInt8]) -> DataFileError? {
        #expect(throws: DataFileError.self) { try MATFile(bytes: bytes, path: "hostile.mat") }
    }

    @Test func aCellClaimingMoreElementsThanItsBytesIsRefused() {
        let bytes = MATBytes.file(MATBytes.matrix(1, [20000, 20000], name: "c"))
        #expect(error(bytes)?.description
            == "hostile.mat: malformed MAT file: cell array 'c' of dimensions [20000, 20000] claims 400000000 elements, its 0 bytes hold at most 0")
    }

    @Test func aStructClaimingMoreElementsThanItsBytesIsRefused() {
        // The probe's ~200-byte struct of 4e8 elements, with and without fields.
        for names in [[UInt8](), Array("a\0\0\0".utf8)] {
            let bytes = MATBytes.file(MATBytes.matrix(2, [20000, 20000], name: "s", MATBytes.element(5, MATBytes.le(4)),
                                                      MATBytes.element(1, names), [UInt8](repeating: 0, count: 64)))
            #expect(error(bytes)?.reason.hasPrefix("malformed MAT file: struct array 's' of dimensions [20000, 20000]") == true)
        }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        var value = MATBytes.matrix(6, [1, 1], MATBytes.element(9, [UInt8](repeating: 0, count: 8)))
        for _ in 0..<(MATReader.maximumDepth + 5) { value = MATBytes.matrix(1, [1, 1], value) }
        #expect(error(MATBytes.file(value))?.reason.hasPrefix("malformed MAT file: arrays nested more than 32 levels deep") == true)
        // 32 levels read.
        var shallow = MATBytes.matrix(6, [1, 1], MATBytes.element(9, [UInt8](repeating: 0, count: 8)))
        for level in 1..<MATReader.maximumDepth {
            shallow = MATBytes.matrix(1, [1, 1], name: level == MATReader.maximumDepth - 1 ? "x" : "", shallow)
        }
        #expect(throws: Never.self) { try MATFile(bytes: MATBytes.file(shallow), path: "deep.mat").variable("x") }
    }

    @Test func dimensionsThatAreNotWholeNumbersAreRefused() {
        let flags = MATBytes.element(6, [6, 0, 0, 0, 0, 0, 0, 0])
        let dimensions = MATBytes.element(9, withUnsafeBytes(of: (1e300).bitPattern.littleEndian, Array.init)
            + withUnsafeBytes(of: (1.0).bitPattern.littleEndian, Array.init))
        let bytes = MATBytes.file(MATBytes.element(14, flags + dimensions + MATBytes.element(1, [])))
        #expect(error(bytes)?.reason.hasPrefix("malformed MAT file: dimension 1e+300") == true)
    }

    @Test func charArraysOfManyEmptyRowsAreRefused() throws {
        // Found by fuzzing: a 287-byte file declaring 13,000,960 × 0 characters made 13 million empty strings.
        let bytes = MATBytes.file(MATBytes.matrix(4, [13_000_960, 0], name: "t", MATBytes.element(16, [])))
        #expect(error(bytes)?.reason == "malformed MAT file: char array of dimensions [13000960, 0] claims 13000960 rows of no characters")
        let empty = MATBytes.file(MATBytes.matrix(4, [1, 0], name: "t", MATBytes.element(16, [])))
        #expect(try MATFile(bytes: empty, path: "empty.mat").variable("t") == .text(dimensions: [1, 0], rows: [""]))
    }

    @Test func negativeCharacterCodesAreRefused() {
        let bytes = MATBytes.file(MATBytes.matrix(4, [1, 2], name: "t", MATBytes.element(1, [0x41, 0xFF])))
        #expect(error(bytes)?.reason == "malformed MAT file: character code -1.0 in a char array")
    }

    @Test func compressedElementsStopAtTheirDeclaredSize() {
        let variable = MATBytes.matrix(6, [1, 1], name: "x", MATBytes.element(9, [UInt8](repeating: 0, count: 8)))
        // Ordinary: reads.
        #expect(throws: Never.self) { try MATFile(bytes: MATBytes.file(MATBytes.compressed(variable)), path: "ok.mat").variable("x") }
        // More data than the inner tag declares (a bomb behind a small tag).
        #expect(error(MATBytes.file(MATBytes.compressed(variable + [UInt8](repeating: 0, count: 1 << 20))))?.reason
            == "compressed data expands beyond the \(variable.count) bytes declared")
        // A tag declaring 2 GB in a few bytes: refused before allocating.
        let lie = MATBytes.le(14) + MATBytes.le(0x7FFF_FFF8)
        #expect(error(MATBytes.file(MATBytes.compressed(lie)))?.reason.hasPrefix("compressed data declares 2147483640 more bytes") == true)
        // Compression inside compression.
        #expect(error(MATBytes.file(MATBytes.compressed(MATBytes.compressed(variable))))?.reason
            == "malformed MAT file: a compressed element inside a compressed element")
    }
}

import Foundation
@testable import MLFormats
import TestSupport
import Testing

@Suite struct ZipArchiveTests {
    private let bytes: [UInt8]
    init() throws { bytes = try [UInt8](Data(contentsOf: Fixture.url("pth_reference.pth"))) }

    @Test func listsAndReadsStoredEntries() throws {
        let archive = try ZipArchive(bytes: Data(bytes), source: "w.pth")
        #expect(archive.entries.count == 19)
        let version = try #require(archive.entry(named: "pth_reference/version"))
        #expect(try archive.contents(of: version) == Array("3\n".utf8))
    }

    @Test func refusesTruncatedArchives() {
        let error = #expect(throws: PyTorchFileError.self) { try ZipArchive(bytes: Data(bytes.prefix(bytes.count / 2)), source: "w.pth") }
        #expect(error?.file == "w.pth")
        #expect(error?.problem.contains("not a zip archive") == true)
        #expect(throws: PyTorchFileError.self) { try ZipArchive(bytes: Data([0x50, 0x4B]), source: "w.pth") }
    }

    @Test func detectsDamagedEntries() throws {
        let archive = try ZipArchive(bytes: Data(bytes), source: "w.pth")
        let entry = try #require(archive.entry(named: "pth_reference/data/0"))
        var damaged = bytes
        let header = entry.localHeaderOffset
        let start = header + 30 + Int(bytes[header + 26]) + Int(bytes[header + 28])
        damaged[start + 5] ^= 0xFF
        let error = #expect(throws: PyTorchFileError.self) {
            try ZipArchive(bytes: Data(damaged), source: "w.pth").contents(of: entry)
        }
        #expect(error?.problem == "entry 'pth_reference/data/0': CRC-32 mismatch (damaged file)")
    }

    @Test func pointsAtDataPastTheEnd() throws {
        let archive = try ZipArchive(bytes: Data(bytes), source: "w.pth")
        let entry = try #require(archive.entry(named: "pth_reference/data/0"))
        var lying = bytes
        for central in 0..<(bytes.count - 4) where Array(bytes[central..<(central + 4)]) == [0x50, 0x4B, 1, 2]
            && Array(bytes[(central + 46)..<(central + 46 + entry.name.utf8.count)]) == Array(entry.name.utf8) {
            lying.replaceSubrange((central + 20)..<(central + 28), with: [0, 0, 0, 0x10, 0, 0, 0, 0x10])
        }
        let reopened = try ZipArchive(bytes: Data(lying), source: "w.pth")
        let error = #expect(throws: PyTorchFileError.self) { try reopened.contents(of: try #require(reopened.entry(named: entry.name))) }
        #expect(error?.problem.contains("runs past the end of the file") == true)
    }
}

extension ZipArchiveTests {
    @Test func reportsCorruptDeflateData() throws {
        var bytes = try [UInt8](Data(contentsOf: Fixture.url("pth_reference_deflated.pth")))
        let archive = try ZipArchive(bytes: Data(bytes), source: "d.pth")
        let entry = try #require(archive.entries.first { $0.method == 8 && $0.name.hasSuffix("data.pkl") })
        let header = entry.localHeaderOffset
        let start = header + 30 + Int(bytes[header + 26]) + Int(bytes[header + 28])
        for i in start..<(start + entry.compressedSize / 2) { bytes[i] = 0xFF }
        let error = #expect(throws: PyTorchFileError.self) { try ZipArchive(bytes: Data(bytes), source: "d.pth").contents(of: entry) }
        #expect(error?.problem.hasPrefix("entry '\(entry.name)': ") == true, "\(String(describing: error))")
    }
}

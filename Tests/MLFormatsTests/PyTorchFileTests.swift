import Foundation
@testable import MLEngine
@testable import MLFormats
import TestSupport
import Testing

@Suite struct PyTorchFileTests {
    private func expectMatchesReference(_ file: PyTorchFile) throws {
        let reference = try FixtureFile("pth_reference.json")
        #expect(file.tensorNames == reference.meta["names"] as? [String])
        for name in file.tensorNames {
            // The fixture writer stores scalars (num_batches_tracked) with shape [1].
            #expect(file.shape(of: name) == (name.hasSuffix("num_batches_tracked") ? [] : reference[name].shape), "\(name)")
            #expect(try file.floats(named: name) == reference[name].floats, "\(name)")
        }
        // The first parameter is exactly the seeded stream the script drew from.
        var generator = SeededGenerator(seed: 21)
        #expect(try file.floats(named: "0.weight") == generator.uniform(count: 54, scale: 0.5))
    }

    @Test func readsWhatTorchSaveWrote() throws {
        try expectMatchesReference(PyTorchFile(contentsOf: Fixture.url("pth_reference.pth")))
    }

    @Test func readsDeflatedArchives() throws {
        try expectMatchesReference(PyTorchFile(contentsOf: Fixture.url("pth_reference_deflated.pth")))
    }

    @Test func refusesPicklesThatReferToAnythingElse() {
        let error = #expect(throws: PyTorchFileError.self) { try PyTorchFile(contentsOf: Fixture.url("pth_unsafe.pth")) }
        #expect(error?.problem.contains("refers to 'os.system'") == true, "\(String(describing: error))")
    }

    @Test func refusesFilesThatAreNotTorchSaveArchives() {
        let error = #expect(throws: PyTorchFileError.self) {
            try PyTorchFile(contentsOf: Fixture.url("safetensors_reference.safetensors"))
        }
        #expect(error?.problem.contains("not a zip archive") == true)
    }

    @Test func namesTheFileWhenItCannotBeRead() {
        let error = #expect(throws: PyTorchFileError.self) {
            try PyTorchFile(contentsOf: URL(fileURLWithPath: "/nonexistent/weights.pth"))
        }
        #expect(error?.file == "/nonexistent/weights.pth")
        #expect(error?.problem.hasPrefix("cannot read the file") == true)
    }

    @Test func refusesViewsPastTheirStorage() throws {
        // Point the "offset" view (storage of 6 elements, offset 2, 4 elements) one element further.
        var bytes = try [UInt8](Data(contentsOf: Fixture.url("pth_reference.pth")))
        let archive = try ZipArchive(bytes: Data(bytes), source: "t.pth")
        let pickle = try #require(archive.entries.first { $0.name.hasSuffix("data.pkl") })
        var contents = try archive.contents(of: pickle)
        let name = Array("offset".utf8)
        let at = try #require((0..<contents.count).first { Array(contents[$0..<($0 + name.count)]) == name })
        // After the key: BINPUT, then BINGET of _rebuild_tensor_v2 … BINPERSID, then BININT1 2 (the offset).
        let persid = try #require(contents[at...].firstIndex(of: 0x51))
        #expect(contents[persid + 1] == 0x4B && contents[persid + 2] == 2)
        contents[persid + 2] = 3
        Self.replaceStoredEntry(pickle, in: &bytes, with: contents)
        let error = #expect(throws: PyTorchFileError.self) { try PyTorchFile(archive: ZipArchive(bytes: Data(bytes), source: "t.pth")) }
        #expect(error?.problem == "tensor 'offset': view (offset 3, shape [4], strides [1]) reaches past its storage of 6 elements")
    }

    /// Overwrites a stored entry's data with `contents` of the same length, fixing its CRC-32 in the local
    /// header and the central directory.
    static func replaceStoredEntry(_ entry: ZipArchive.Entry, in bytes: inout [UInt8], with contents: [UInt8]) {
        let header = entry.localHeaderOffset
        let start = header + 30 + Int(bytes[header + 26]) + Int(bytes[header + 27]) << 8
            + Int(bytes[header + 28]) + Int(bytes[header + 29]) << 8
        precondition(contents.count == entry.compressedSize)
        bytes.replaceSubrange(start..<(start + contents.count), with: contents)
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in contents {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        let checksum = withUnsafeBytes(of: (~crc).littleEndian, Array.init)
        func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        bytes.replaceSubrange((header + 14)..<(header + 18), with: checksum)
        for central in 0..<(bytes.count - 46) where u32(central) == 0x0201_4B50 && u32(central + 42) == header {
            bytes.replaceSubrange((central + 16)..<(central + 20), with: checksum)
        }
    }
}

/// Tensor views a pickle may declare, checked when the file is opened (before any allocation by shape).
@Suite struct TorchTensorViewTests {
    private func problem(count: Int = 6, offset: Int = 0, shape: [Int], strides: [Int], bytes: Int? = 24) -> String? {
        TorchTensor(storage: TorchStorage(dtype: .float32, key: "0", count: count), offset: offset, shape: shape, strides: strides)
            .problem(storageBytes: bytes)
    }

    @Test func soundViewsPass() {
        #expect(problem(shape: [2, 3], strides: [3, 1]) == nil)
        #expect(problem(shape: [3, 2], strides: [1, 3]) == nil)
        #expect(problem(offset: 2, shape: [4], strides: [1]) == nil)
        #expect(problem(shape: [0, 1 << 62], strides: [1, 1]) == nil)
    }

    @Test func overflowingSizesAreRefused() {
        #expect(problem(count: Int.max / 2, shape: [1], strides: [1])
            == "storage '0' has 24 bytes, fewer than \(Int.max / 2) F32 elements need")
        #expect(problem(shape: [1 << 32, 1 << 32], strides: [1, 1]) == "shape [4294967296, 4294967296] has more elements than memory can address")
        #expect(problem(shape: [2, 2], strides: [Int.max, 1])
            == "view (offset 0, shape [2, 2], strides [\(Int.max), 1]) reaches past its storage of 6 elements")
        #expect(problem(offset: -1, shape: [2], strides: [1]) == "view (offset -1, shape [2], strides [1]) has a negative offset or stride")
    }

    @Test func expandedViewsAndMissingStoragesAreRefused() {
        // Stride 0 repeats one element: a 4 KB file could decode to any size.
        #expect(problem(shape: [1 << 20, 1 << 20], strides: [0, 0])
            == "view (offset 0, shape [1048576, 1048576], strides [0, 0]) has 1099511627776 elements, more than its storage of 6 (expanded views are not supported; save a contiguous copy)")
        #expect(problem(shape: [2], strides: [1], bytes: nil) == "storage '0' is missing from the archive")
        #expect(problem(count: 7, shape: [2], strides: [1]) == "storage '0' has 24 bytes, fewer than 7 F32 elements need")
    }
}

import Foundation
@testable import MLData
import TestSupport
import Testing

@Suite struct ImageDecoderTests {
    static let names = ["rgb.jpg", "rgb444.jpg", "progressive.jpg", "extraneous.jpg", "gray.jpg", "cmyk.jpg", "ycck.jpg", "palette.png", "bilevel.png",
                        "rgba.png", "la.png", "rgb16.png", "gray16.png", "gray16alpha.png"]

    /// Every test image decodes to Pillow's `Image.open(path).convert("RGB")`, byte for byte.
    @Test(arguments: names) func matchesPillow(name: String) throws {
        let reference = try ImageFixtureFile("image_decode.json")[name]
        let image = try ImageDecoder().decode(contentsOf: Fixture.url("images/\(name)").path)
        let (difference, message) = pixelMismatch(image, reference)
        #expect(difference == 0, "\(name): \(message)")
    }

    /// The fixture covers each conversion path: its Pillow modes are the ones the names promise.
    @Test func fixtureCoversPillowModes() throws {
        let modes = try #require(ImageFixtureFile("image_decode.json").meta["modes"] as? [String: String])
        #expect(modes["gray.jpg"] == "L" && modes["cmyk.jpg"] == "CMYK" && modes["ycck.jpg"] == "CMYK")
        #expect(modes["palette.png"] == "P" && modes["gray16.png"] == "I" && modes["la.png"] == "LA")
        #expect(Set(modes.keys) == Set(Self.names))
    }

    /// Pillow's CMYK → RGB for Adobe-inverted bytes, checked on values worked by hand.
    @Test func invertedCMYKConversion() {
        // Bytes are inverted: 255 means no ink. No ink → white; full K → black.
        #expect(ImageDecoder.rgb(fromInvertedCMYK: [255, 255, 255, 255]) == [255, 255, 255])
        #expect(ImageDecoder.rgb(fromInvertedCMYK: [255, 255, 255, 0]) == [0, 0, 0])
        // c = 255 − 55 = 200, 255 − k = 200: 200 − MULDIV255(200, 200) = 200 − 157 = 43.
        #expect(ImageDecoder.rgb(fromInvertedCMYK: [55, 255, 0, 200]) == [43, 200, 0])
    }

    // MARK: bad input

    private func expectProblem(_ problem: (ImageDecodingError.Problem) -> Bool, bytes: [UInt8]?,
                               named name: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dml-decode-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(name).path
        if let bytes { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
        do {
            let image = try ImageDecoder().decode(contentsOf: path)
            Issue.record("\(name) decoded to \(image.width)×\(image.height) instead of failing")
        } catch let error as ImageDecodingError {
            #expect(error.path == path)
            #expect(error.description.contains(path))
            #expect(problem(error.problem), "\(name): \(error)")
        }
    }

    private func fixtureBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Fixture.url("images/\(name)")))
    }

    @Test func missingFile() throws {
        try expectProblem({ if case .unreadable(let why) = $0 { why.contains("No such file") } else { false } },
                          bytes: nil, named: "missing.jpg")
    }

    @Test func emptyFile() throws {
        try expectProblem({ $0 == .empty }, bytes: [], named: "empty.jpg")
    }

    @Test func truncatedJPEG() throws {
        let bytes = try fixtureBytes("rgb.jpg")
        try expectProblem({ $0 == .truncated }, bytes: Array(bytes[0..<(bytes.count * 2 / 3)]), named: "cut.jpg")
    }

    @Test func jpegCutInsideItsHeader() throws {
        // Cut before the frame header: libjpeg only warns, and the size would read as 0 × 0.
        let bytes = try fixtureBytes("rgb.jpg")
        for length in [20, 60, 120] {
            try expectProblem({ $0 == .truncated }, bytes: Array(bytes[0..<length]), named: "header-\(length).jpg")
        }
    }

    @Test func corruptJPEGHeader() throws {
        var bytes = try fixtureBytes("rgb.jpg")
        bytes.replaceSubrange(3..<bytes.count, with: [UInt8](repeating: 0x42, count: 64))
        try expectProblem({ if case .corrupt(let why) = $0 { why.hasPrefix("JPEG: ") } else { false } },
                          bytes: bytes, named: "garbled.jpg")
    }

    @Test func pngWithBadCRC() throws {
        var bytes = try fixtureBytes("rgba.png")
        // The IHDR chunk's CRC sits at bytes 29…32 (8-byte signature, 4 length, 4 type, 13 data).
        bytes[30] ^= 0xFF
        try expectProblem({ if case .corrupt(let why) = $0 { why.contains("CRC") } else { false } },
                          bytes: bytes, named: "crc.png")
    }

    @Test func truncatedPNG() throws {
        let bytes = try fixtureBytes("rgba.png")
        try expectProblem({ if case .corrupt(let why) = $0 { why.contains("truncated PNG") } else { false } },
                          bytes: Array(bytes[0..<(bytes.count / 2)]), named: "cut.png")
    }

    @Test func unsupportedFormats() throws {
        try expectProblem({ $0 == .unsupportedFormat("GIF") }, bytes: Array("GIF89a\u{1}\u{0}".utf8), named: "a.gif")
        try expectProblem({ $0 == .unsupportedFormat("unknown") }, bytes: Array("hello".utf8), named: "a.txt")
        try expectProblem({ $0 == .unsupportedFormat("ICO") }, bytes: [0, 0, 1, 0, 1, 0, 16, 16], named: "icon.png")
    }

    @Test func directoryIsUnreadable() throws {
        let path = Fixture.url("images").path
        #expect(throws: ImageDecodingError.self) { try ImageDecoder().decode(contentsOf: path) }
    }
}

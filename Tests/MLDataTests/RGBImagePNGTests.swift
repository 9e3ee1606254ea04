import Foundation
@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct RGBImagePNGTests {
    @Test func encodedImageDecodesToTheSamePixels() throws {
        var generator = SeededGenerator(seed: 5)
        let pixels = (0..<(7 * 5 * 3)).map { _ in UInt8(generator.nextIndex(below: 256)) }
        let image = RGBImage(width: 7, height: 5, pixels: pixels)
        let png = image.pngData()
        let decoded = try png.withUnsafeBytes { try ImageDecoder().decode($0, path: "generated.png") }
        #expect(decoded == image)
    }
}

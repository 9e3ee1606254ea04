@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct CenterCropTests {
    /// Odd margins (Python's round half to even), padding when larger, and both at once: exact.
    @Test(arguments: [(15, 20), (17, 21), (44, 50), (33, 31)])
    func matchesTorchvision(height: Int, width: Int) {
        var generator = SeededGenerator(seed: 0)
        let got = CenterCrop(height: height, width: width).apply(to: TransformFixture.image("rgb.jpg"), using: &generator)
        let (difference, message) = pixelMismatch(got, TransformFixture.reference("center_\(height)x\(width)"))
        #expect(difference == 0, "center_\(height)x\(width): \(message)")
    }

    @Test func regionRounding() {
        // (30 − 15) / 2 = 7.5 → 8 (even), (40 − 21) / 2 = 9.5 → 10, (40 − 23) / 2 = 8.5 → 8.
        #expect(CenterCrop(height: 15, width: 21).region(imageHeight: 30, imageWidth: 40)
            == PixelRegion(left: 10, top: 8, width: 21, height: 15))
        #expect(CenterCrop(height: 30, width: 23).region(imageHeight: 30, imageWidth: 40).left == 8)
        // Larger: padding (crop − image) // 2 before.
        #expect(CenterCrop(height: 33, width: 45).region(imageHeight: 30, imageWidth: 40)
            == PixelRegion(left: -2, top: -1, width: 45, height: 33))
    }
}

@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct ResizeTests {
    static let cases: [(name: String, size: Resize.Size)] = [
        ("resize_short_17", .shorterSide(17)), ("resize_short_64", .shorterSide(64)),
        ("resize_13x29", .exact(height: 13, width: 29)), ("resize_20x40", .exact(height: 20, width: 40)),
        ("resize_30x25", .exact(height: 30, width: 25)),
    ]

    /// Down- and up-scaling, both axes or one, match PIL's BILINEAR resize byte for byte.
    @Test(arguments: cases.map(\.name)) func matchesTorchvision(name: String) {
        let size = Self.cases.first { $0.name == name }!.size
        var generator = SeededGenerator(seed: 0)
        let got = Resize(size).apply(to: TransformFixture.image("rgb.jpg"), using: &generator)
        let (difference, message) = pixelMismatch(got, TransformFixture.reference(name))
        #expect(difference == 0, "\(name): \(message)")
    }

    @Test func otherImages() {
        var generator = SeededGenerator(seed: 0)
        let cmyk = Resize(.exact(height: 7, width: 11)).apply(to: TransformFixture.image("cmyk.jpg"), using: &generator)
        let grid = Resize(.shorterSide(23)).apply(to: TransformFixture.colourGrid, using: &generator)
        for (got, name) in [(cmyk, "resize_cmyk_7x11"), (grid, "resize_grid_short_23")] {
            let (difference, message) = pixelMismatch(got, TransformFixture.reference(name))
            #expect(difference == 0, "\(name): \(message)")
        }
    }

    /// torchvision's output size: the long side is truncated, whichever side is shorter.
    @Test func outputSize() {
        #expect(Resize(.shorterSide(256)).outputSize(height: 375, width: 500) == (256, 341))
        #expect(Resize(.shorterSide(256)).outputSize(height: 500, width: 375) == (341, 256))
        #expect(Resize(.shorterSide(256)).outputSize(height: 256, width: 256) == (256, 256))
        #expect(Resize(.exact(height: 5, width: 7)).outputSize(height: 1, width: 2) == (5, 7))
    }

    /// Same size is a copy; a region resized equals the crop resized.
    @Test func identityAndRegion() {
        let image = TransformFixture.image("rgb.jpg")
        #expect(image.resized(width: 40, height: 30) == image)
        let region = PixelRegion(left: 5, top: 3, width: 17, height: 21)
        #expect(image.resized(region: region, width: 9, height: 30) == image.cropped(to: region).resized(width: 9, height: 30))
    }
}

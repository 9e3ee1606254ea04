@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct ColorJitterTests {
    typealias Adjustment = ColorJitter.Adjustment

    static let single: [(name: String, adjustment: Adjustment)] = [
        ("brightness_0.75", .brightness(0.75)), ("brightness_1.25", .brightness(1.25)),
        ("contrast_0.8", .contrast(0.8)), ("contrast_1.3", .contrast(1.3)),
        ("saturation_0.7", .saturation(0.7)), ("saturation_1.25", .saturation(1.25)),
    ]

    private func expectMatch(_ got: RGBImage, _ name: String) {
        let (difference, message) = pixelMismatch(got, TransformFixture.reference(name))
        #expect(difference == 0, "\(name): \(message)")
    }

    /// Each of PIL's ImageEnhance adjustments, below and above 1, on a photo-like image.
    @Test(arguments: single.map(\.name)) func adjustment(name: String) {
        let adjustment = Self.single.first { $0.name == name }!.adjustment
        expectMatch(ColorJitter.apply([adjustment], to: TransformFixture.image("rgb.jpg")), name)
    }

    /// Saturation, contrast and hue over 4,096 colours (every branch of Pillow's HSV conversions).
    @Test func colourGrid() {
        let grid = TransformFixture.colourGrid
        #expect(grid == TransformFixture.reference("grid"))
        expectMatch(grid.adjustingSaturation(1.3), "grid_saturation_1.3")
        expectMatch(grid.adjustingContrast(0.7), "grid_contrast_0.7")
        for factor in [0.1, -0.1, 0.5, -0.37] { expectMatch(grid.adjustingHue(factor), "grid_hue_\(factor)") }
    }

    /// torchvision's ColorJitter orders with fixed factors.
    @Test func sequences() {
        let image = TransformFixture.image("rgb.jpg")
        expectMatch(ColorJitter.apply([.saturation(1.2), .brightness(0.8), .contrast(1.1)], to: image), "jitter_cub")
        expectMatch(ColorJitter.apply([.hue(-0.06), .contrast(0.75), .saturation(1.3), .brightness(1.05)], to: image),
                    "jitter_cars")
    }

    /// Draws: a permutation of the four, then factors in their ranges; disabled adjustments never appear.
    @Test func drawnAdjustments() {
        let cub = ColorJitter(brightness: 0.25, contrast: 0.25, saturation: 0.25)
        var orders = Set<[String]>()
        for seed: UInt64 in 0..<200 {
            var generator = SeededGenerator(seed: seed)
            let adjustments = cub.adjustments(using: &generator)
            #expect(generator.position == 6)
            #expect(adjustments.count == 3)
            var kinds: [String] = []
            for adjustment in adjustments {
                switch adjustment {
                case .brightness(let f), .contrast(let f), .saturation(let f):
                    #expect((0.75...1.25).contains(f))
                    kinds.append("\(adjustment)".prefix { $0 != "(" }.description)
                case .hue: Issue.record("hue drawn with strength 0")
                }
            }
            orders.insert(kinds)
        }
        #expect(orders.count == 6, "all orders of three adjustments occur: \(orders)")
        var generator = SeededGenerator(seed: 3)
        let cars = ColorJitter(brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1).adjustments(using: &generator)
        #expect(cars.count == 4 && generator.position == 7)
    }
}

@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct TransformPresetTests {
    static let photo = RGBImage(width: 500, height: 375, pixels: (0..<(500 * 375 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })

    /// Every preset's pipelines give the preset's output size, train and test.
    @Test(arguments: TransformPreset.allCases) func outputSizes(preset: TransformPreset) {
        let input = preset == .fashionMNIST ? RGBImage(width: 28, height: 28, grayscale: (0..<784).map { UInt8($0 % 256) })
            : Self.photo
        let size = preset.defaultImageSize
        var generator = SeededGenerator(seed: 1)
        for pipeline in [preset.train(), preset.test()] {
            let tensor = pipeline.tensor(from: input, using: &generator)
            #expect(tensor.shape == [3, size, size], "\(preset)")
        }
    }

    /// The same seed gives the same sample; different seeds differ; the test pipeline draws nothing.
    @Test func seeded() {
        let train = TransformPreset.cub.train()
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let first = train.apply(to: Self.photo, using: &a)
        #expect(first == train.apply(to: Self.photo, using: &b))
        #expect(first != train.apply(to: Self.photo, using: &c))
        var d = SeededGenerator(seed: 42)
        _ = TransformPreset.cub.test().apply(to: Self.photo, using: &d)
        #expect(d.position == 0)
    }

    /// The CUB test pipeline is Resize(256) then CenterCrop(224) (torchvision's composition).
    @Test func cubTestComposition() {
        var generator = SeededGenerator(seed: 0)
        let expected = Self.photo.resized(width: 341, height: 256).cropped(to: PixelRegion(left: 58, top: 16, width: 224, height: 224))
        #expect(TransformPreset.cub.test().apply(to: Self.photo, using: &generator) == expected)
    }
}

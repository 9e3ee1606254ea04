@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

@Suite struct RandomResizedCropTests {
    /// Given the same uniform draws, the crop box is torchvision's `get_params` box (its own code run with
    /// its RNG replaced), and the same number of draws is used — including the centre-crop fallbacks.
    @Test func boxesFollowTorchvision() throws {
        let fixture = try FixtureFile("random_resized_crop.json")
        let cases = try #require(fixture.meta["cases"] as? [[String: Any]])
        let boxes = fixture["boxes"].values
        #expect(boxes.count == cases.count * 5)
        for (row, spec) in cases.enumerated() {
            let scale = spec["scale"] as! [Double], ratio = spec["ratio"] as! [Double]
            let crop = RandomResizedCrop(224, scale: scale[0]...scale[1], ratio: ratio[0]...ratio[1])
            var generator = SeededGenerator(seed: UInt64(spec["seed"] as! Int))
            let region = crop.region(imageHeight: spec["height"] as! Int, imageWidth: spec["width"] as! Int) {
                generator.nextUnit()
            }
            let expected = boxes[(row * 5)..<(row * 5 + 5)].map { Int($0) }
            let got = [region.top, region.left, region.height, region.width, Int(generator.position)]
            #expect(got == expected, "case \(spec): got (top, left, h, w, draws) \(got), torchvision \(expected)")
        }
    }

    @Test func fallbackCentresTheClampedImage() {
        let crop = RandomResizedCrop(32, scale: 0.9...1)
        // 10×200 can never fit: width clamps to round(10 · 4/3) = 13, centred.
        #expect(crop.region(imageHeight: 10, imageWidth: 200) { 0.5 } == PixelRegion(left: 93, top: 0, width: 13, height: 10))
        #expect(crop.region(imageHeight: 200, imageWidth: 10) { 0.5 } == PixelRegion(left: 0, top: 93, width: 10, height: 13))
    }

    /// torchvision's `resized_crop` with explicit boxes.
    @Test func resizedCropMatchesTorchvision() {
        let rgb = TransformFixture.image("rgb.jpg")
        let cases: [(RGBImage, PixelRegion, Int, Int, String)] = [
            (rgb, PixelRegion(left: 5, top: 3, width: 17, height: 21), 24, 24, "resized_crop_3_5_21x17_to_24"),
            (rgb, PixelRegion(left: 0, top: 0, width: 40, height: 30), 9, 11, "resized_crop_0_0_30x40_to_11x9"),
            (TransformFixture.colourGrid, PixelRegion(left: 7, top: 10, width: 33, height: 40), 32, 32,
             "resized_crop_grid_10_7_40x33_to_32"),
        ]
        for (image, region, width, height, name) in cases {
            let (difference, message) = pixelMismatch(image.resized(region: region, width: width, height: height),
                                                      TransformFixture.reference(name))
            #expect(difference == 0, "\(name): \(message)")
        }
    }

    /// The transform crops the drawn region and resizes it to the output size.
    @Test func applyUsesTheDrawnRegion() {
        let image = TransformFixture.image("rgb.jpg")
        let crop = RandomResizedCrop(height: 12, width: 16, scale: 0.3...0.8)
        var generator = SeededGenerator(seed: 9), probe = SeededGenerator(seed: 9)
        let region = crop.region(imageHeight: 30, imageWidth: 40) { probe.nextUnit() }
        #expect(crop.apply(to: image, using: &generator) == image.cropped(to: region).resized(width: 16, height: 12))
        #expect(generator.position == probe.position)
    }
}

import Foundation
@testable import MLData
@testable import MLEngine
import TestSupport
import Testing

/// The fused train path (`FusedPipeline`) against the step-by-step pipeline, whose every step the fixtures
/// prove byte-equal to Pillow + torchvision: the same tensors and the same draws, for every preset it
/// takes, images of many shapes and contents, and many seeds.
@Suite struct FusedPipelineTests {
    /// A photo-like image: smooth gradients, a disc and noise (so the jitter's tables and clipping matter).
    static func photo(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var generator = SeededGenerator(seed: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let inside = (x - width / 3) * (x - width / 3) + (y - height / 2) * (y - height / 2) < width * height / 9
                for c in 0..<3 {
                    let smooth = 128 + 90 * sin(Double(x * (c + 1)) / 37 + Double(y) / 23 + Double(c))
                    let value = smooth + (inside ? 60 : 0) + 50 * (generator.nextUnit() - 0.5)
                    pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, value)))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static let images: [RGBImage] = [
        photo(width: 500, height: 375, seed: 1), photo(width: 375, height: 500, seed: 2),
        photo(width: 97, height: 61, seed: 3),  // smaller than the crop: every resize enlarges
        photo(width: 256, height: 256, seed: 4),  // sop/cars' resize is the identity here
        photo(width: 1, height: 3, seed: 5), RGBImage(width: 40, height: 30, red: 255, green: 255, blue: 255),
        RGBImage(width: 28, height: 28, grayscale: (0..<784).map { UInt8(($0 * 37) % 256) }),
    ]

    /// Runs both paths on `image` with `seed`; returns whether the tensors and draws agree.
    static func agree(_ pipeline: ImagePipeline, _ image: RGBImage, seed: UInt64) throws -> Bool {
        let fused = try #require(FusedPipeline(pipeline))
        var stepwise = SeededGenerator(seed: seed), fusedGenerator = SeededGenerator(seed: seed)
        let expected = pipeline.tensor(from: image, using: &stepwise).scalars
        var got = [Float](repeating: -1, count: expected.count)
        got.withUnsafeMutableBufferPointer { target in
            fused.write(image.copyPixels(into: PixelScratch()), using: &fusedGenerator, scratch: .init(),
                        to: target.baseAddress!)
        }
        return got == expected && stepwise.position == fusedGenerator.position
    }

    @Test(arguments: [TransformPreset.cub, .sop, .inshop, .fashionMNIST])
    func presetsMatchTheStepwisePipeline(preset: TransformPreset) throws {
        for (i, image) in Self.images.enumerated() {
            for seed in UInt64(0)..<12 {
                #expect(try Self.agree(preset.train(), image, seed: seed), "\(preset) image \(i) seed \(seed)")
            }
        }
    }

    /// Strong jitter (factors from 0 to 2: saturation's clipping, contrast's mean after the other two),
    /// odd crop sizes and ratios that force torchvision's fallback crop.
    @Test func strongJitterAndOddCrops() throws {
        let pipelines = [
            ImagePipeline([Resize(.shorterSide(300)), ColorJitter(brightness: 1, contrast: 1, saturation: 1),
                           RandomResizedCrop(height: 97, width: 131), RandomHorizontalFlip(probability: 0.7)]),
            ImagePipeline([ColorJitter(contrast: 0.9), RandomResizedCrop(64, scale: 0.9...1, ratio: 5...6)]),
            ImagePipeline([Resize(.exact(height: 50, width: 70)), ColorJitter(saturation: 0.9),
                           RandomResizedCrop(height: 50, width: 70, scale: 1...1, ratio: 1.4...1.4)]),
        ]
        for (p, pipeline) in pipelines.enumerated() {
            // (A 1-pixel-wide image would make the fallback crop of ratio 5 empty in both paths.)
            for (i, image) in Self.images.enumerated() where image.width > 1 {
                for seed in UInt64(100)..<112 {
                    #expect(try Self.agree(pipeline, image, seed: seed), "pipeline \(p) image \(i) seed \(seed)")
                }
            }
        }
    }

    /// Pipelines of another shape (hue jitter, test pipelines, a crop not last but one) are not fused.
    @Test func otherShapesAreNotFused() {
        #expect(FusedPipeline(TransformPreset.cars.train()) == nil)
        for preset in TransformPreset.allCases { #expect(FusedPipeline(preset.test()) == nil) }
        #expect(FusedPipeline(ImagePipeline([RandomResizedCrop(8), RandomHorizontalFlip(), Resize(.shorterSide(4))])) == nil)
        #expect(FusedPipeline(TransformPreset.cub.train()) != nil)
    }

    /// Decoding to 4-byte pixels gives the decoder's RGB bytes for every fixture image (JPEGs straight from
    /// TurboJPEG, the others through the RGB decoder).
    @Test(arguments: ImageDecoderTests.names) func decodedPixelsEqualTheRGBDecoder(name: String) throws {
        let bytes = try Data(contentsOf: Fixture.url("images/\(name)"))
        let decoder = ImageDecoder()
        let rgb = try bytes.withUnsafeBytes { try decoder.decode($0, path: name) }
        let view = try bytes.withUnsafeBytes { try decoder.decodePixels($0, path: name, into: PixelScratch()) }
        #expect(view.width == rgb.width && view.height == rgb.height)
        #expect(rgb.copyPixels(into: PixelScratch()).equalPixels(view))
    }
}

extension PixelView {
    /// Whether R, G and B of every pixel equal `other`'s.
    func equalPixels(_ other: PixelView) -> Bool {
        guard width == other.width, height == other.height else { return false }
        for y in 0..<height {
            for x in 0..<width where (0..<3).contains(where: { pixel(x: x, y: y)[$0] != other.pixel(x: x, y: y)[$0] }) {
                return false
            }
        }
        return true
    }
}

@testable import MLData
import TestSupport

/// Inputs and references shared by the transform tests (fixtures from `tools/reference/transforms.py`).
enum TransformFixture {
    static let references: [String: RGBImage] = {
        do { return try ImageFixtureFile("image_transforms.json").images } catch {
            fatalError("image_transforms.json: \(error)")
        }
    }()

    /// torchvision's output `name` from image_transforms.json.
    static func reference(_ name: String) -> RGBImage {
        guard let image = references[name] else { fatalError("image_transforms.json has no image \(name)") }
        return image
    }

    /// A decoded test image from Tests/Fixtures/images (decoding is proven exact by ImageDecoderTests).
    static func image(_ name: String) -> RGBImage {
        do { return try ImageDecoder().decode(contentsOf: Fixture.url("images/\(name)").path) } catch {
            fatalError("\(name): \(error)")
        }
    }

    /// 64×64 pixels of 4,096 colours: r, g, b = 17·(i % 16), 17·(i / 16 % 16), 17·(i / 256).
    static let colourGrid: RGBImage = {
        var pixels: [UInt8] = []
        for i in 0..<4096 { pixels += [UInt8(17 * (i % 16)), UInt8(17 * (i / 16 % 16)), UInt8(17 * (i / 256))] }
        return RGBImage(width: 64, height: 64, pixels: pixels)
    }()
}

import Foundation
@testable import MLData
import TestSupport

/// A fixture of 8-bit RGB images written by `tools/reference/transforms.py`:
/// `{"meta": {...}, "images": {name: {"width", "height", "rgb": base64 bytes}}}`.
struct ImageFixtureFile {
    let meta: [String: Any]
    let images: [String: RGBImage]

    init(_ name: String) throws {
        let (meta, entries) = try Fixture.sections(name, entries: "images")
        self.meta = meta
        images = entries.mapValues { value in
            let bytes = Data(base64Encoded: value["rgb"] as! String)!
            return RGBImage(width: value["width"] as! Int, height: value["height"] as! Int, pixels: Array(bytes))
        }
    }

    subscript(name: String) -> RGBImage {
        guard let image = images[name] else { fatalError("fixture has no image \(name); has \(images.keys.sorted())") }
        return image
    }
}

/// The largest absolute difference between two images' bytes, with where it is, or a size mismatch.
func pixelMismatch(_ got: RGBImage, _ reference: RGBImage) -> (maxDifference: Int, message: String) {
    guard got.width == reference.width, got.height == reference.height else {
        return (Int.max, "size \(got.width)×\(got.height), reference \(reference.width)×\(reference.height)")
    }
    var worst = 0, worstDifference = -1
    for i in 0..<got.pixels.count where abs(Int(got.pixels[i]) - Int(reference.pixels[i])) > worstDifference {
        worst = i
        worstDifference = abs(Int(got.pixels[i]) - Int(reference.pixels[i]))
    }
    if worstDifference < 0 { return (0, "empty") }
    let pixel = worst / 3
    return (worstDifference, "worst at x \(pixel % got.width), y \(pixel / got.width), channel \(worst % 3): "
        + "got \(got.pixels[worst]), reference \(reference.pixels[worst])")
}

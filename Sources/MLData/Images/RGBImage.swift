/// An 8-bit RGB image: `height` rows of `width` pixels, each pixel three interleaved bytes (HWC).
///
/// The pipeline's image between decoding and `tensor()`: what Pillow holds after `convert("RGB")`.
public struct RGBImage: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `height × width × 3` bytes, row-major, R G B per pixel.
    public var pixels: [UInt8]

    /// An image over `pixels` (`height × width × 3` bytes, row-major RGB).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)×\(height)")
        precondition(pixels.count == width * height * 3,
                     "a \(width)×\(height) RGB image needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = red
            pixels[i + 1] = green
            pixels[i + 2] = blue
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The grey image `levels` (`height × width` bytes, row-major) with each level copied to R, G and B,
    /// as Pillow's `convert("RGB")` does for mode "L".
    public init(width: Int, height: Int, grayscale levels: [UInt8]) {
        precondition(levels.count == width * height,
                     "a \(width)×\(height) grey image needs \(width * height) bytes, got \(levels.count)")
        var pixels = [UInt8](repeating: 0, count: levels.count * 3)
        for (i, level) in levels.enumerated() {
            pixels[3 * i] = level
            pixels[3 * i + 1] = level
            pixels[3 * i + 2] = level
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}

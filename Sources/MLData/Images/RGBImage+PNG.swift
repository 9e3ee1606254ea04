import Foundation
import MLFormats

extension RGBImage {
    /// The image as a PNG file (8-bit RGB, zlib-compressed; for thumbnails in reports and services).
    public func pngData() -> Data { PNGEncoder.encode(width: width, height: height, pixels: pixels) }
}

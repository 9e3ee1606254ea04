import MLEngine

/// torchvision's `CenterCrop`: the central `height × width`, zero-padded (split as torchvision pads:
/// the extra pixel on the right/bottom) where the crop is larger than the image.
public struct CenterCrop: ImageTransform {
    /// Output rows.
    public let height: Int
    /// Output columns.
    public let width: Int

    /// A crop to `height × width`.
    public init(height: Int, width: Int) {
        precondition(height > 0 && width > 0, "center crop to \(height)×\(width)")
        self.height = height
        self.width = width
    }

    /// A square crop.
    public init(_ size: Int) { self.init(height: size, width: size) }

    /// The region cropped from an image of `imageHeight × imageWidth`. torchvision places it at
    /// `round((image − crop) / 2)` with Python's round-half-to-even, after padding a too-small side by
    /// `(crop − image) // 2` before it.
    public func region(imageHeight: Int, imageWidth: Int) -> PixelRegion {
        func offset(image: Int, crop: Int) -> Int {
            crop > image ? -((crop - image) / 2) : Int((Double(image - crop) / 2).rounded(.toNearestOrEven))
        }
        return PixelRegion(left: offset(image: imageWidth, crop: width), top: offset(image: imageHeight, crop: height),
                           width: width, height: height)
    }

    /// The transformed image (draws nothing).
    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        image.cropped(to: region(imageHeight: image.height, imageWidth: image.width))
    }
}

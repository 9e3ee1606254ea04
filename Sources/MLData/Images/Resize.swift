import MLEngine

/// torchvision's `Resize` on PIL images: PIL's antialiased BILINEAR resampling to a size computed from
/// the image's.
public struct Resize: ImageTransform {
    /// What the output size is.
    public enum Size: Equatable, Sendable {
        /// The shorter side becomes this; the longer is `Int(side · long / short)` (truncated, as
        /// torchvision computes it in floating point).
        case shorterSide(Int)
        /// Exactly this height and width.
        case exact(height: Int, width: Int)
    }

    /// The output size rule.
    public let size: Size

    /// A resize to `size`.
    public init(_ size: Size) {
        switch size {
        case .shorterSide(let side): precondition(side > 0, "resize to shorter side \(side)")
        case .exact(let height, let width): precondition(height > 0 && width > 0, "resize to \(height)×\(width)")
        }
        self.size = size
    }

    /// The (height, width) an image of `height × width` is resized to.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        switch size {
        case .exact(let h, let w):
            return (h, w)
        case .shorterSide(let side):
            let (short, long) = width <= height ? (width, height) : (height, width)
            let newLong = Int(Double(side * long) / Double(short))
            return width <= height ? (newLong, side) : (side, newLong)
        }
    }

    /// The transformed image (draws nothing).
    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        let (height, width) = outputSize(height: image.height, width: image.width)
        return image.resized(width: width, height: height)
    }
}

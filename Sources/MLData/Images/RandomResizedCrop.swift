import Foundation
import MLEngine

/// torchvision's `RandomResizedCrop` on PIL images: a random region of random area and aspect ratio,
/// resized to `height × width` with PIL's antialiased bilinear filter (`resized_crop`: crop, then resize).
///
/// The region follows torchvision 0.14's `get_params` with its random draws replaced by this generator's
/// uniform draws u ∈ [0, 1) (`nextUnit`), in this order and mapping:
/// - up to 10 attempts, each taking two draws:
///   `s = Float(scale.lower + (scale.upper − scale.lower) · u₁)` (torch's float32 `uniform_`),
///   `r = exp(Float(log r₀ + (log r₁ − log r₀) · u₂))` with the logs of the ratio bounds in float32,
///   `w = round(√(area · s · r))`, `h = round(√(area · s / r))` (round half to even, as Python's `round`);
/// - the first attempt with 0 < w ≤ width and 0 < h ≤ height takes two more draws for its position:
///   `top = ⌊u₃ · (height − h + 1)⌋`, `left = ⌊u₄ · (width − w + 1)⌋` (torch's `randint(0, n)`);
/// - after 10 failures, the centre crop fallback: the whole image clamped to the ratio range
///   (`w = width, h = round(w / min ratio)` when narrower, `h = height, w = round(h · max ratio)` when
///   wider), centred with floor division.
public struct RandomResizedCrop: ImageTransform {
    /// Output rows.
    public let height: Int
    /// Output columns.
    public let width: Int
    /// Range of the region's area as a fraction of the image's.
    public let scale: ClosedRange<Double>
    /// Range of the region's width / height.
    public let ratio: ClosedRange<Double>

    /// A crop resized to `height × width` (torchvision's defaults: scale 0.08–1, ratio 3/4–4/3).
    public init(height: Int, width: Int, scale: ClosedRange<Double> = 0.08...1,
                ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        precondition(height > 0 && width > 0, "random resized crop to \(height)×\(width)")
        precondition(scale.lowerBound > 0, "scale range \(scale) must be positive")
        precondition(ratio.lowerBound > 0, "ratio range \(ratio) must be positive")
        self.height = height
        self.width = width
        self.scale = scale
        self.ratio = ratio
    }

    /// A square output.
    public init(_ size: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        self.init(height: size, width: size, scale: scale, ratio: ratio)
    }

    /// The region for an image of `imageHeight × imageWidth`, drawing from `draw` (uniform in [0, 1)).
    public func region(imageHeight: Int, imageWidth: Int, draw: () -> Double) -> PixelRegion {
        let area = Double(imageHeight * imageWidth)
        let logLower = Double(Float(log(ratio.lowerBound))), logUpper = Double(Float(log(ratio.upperBound)))
        for _ in 0..<10 {
            let targetArea = area * Double(Float(scale.lowerBound + (scale.upperBound - scale.lowerBound) * draw()))
            let aspect = Double(Float(exp(Double(Float(logLower + (logUpper - logLower) * draw())))))
            let w = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if w > 0 && w <= imageWidth && h > 0 && h <= imageHeight {
                let top = Int(draw() * Double(imageHeight - h + 1))
                let left = Int(draw() * Double(imageWidth - w + 1))
                return PixelRegion(left: left, top: top, width: w, height: h)
            }
        }
        let inRatio = Double(imageWidth) / Double(imageHeight)
        var (w, h) = (imageWidth, imageHeight)
        if inRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return PixelRegion(left: (imageWidth - w) / 2, top: (imageHeight - h) / 2, width: w, height: h)
    }

    /// The transformed image.
    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        let region = region(imageHeight: image.height, imageWidth: image.width) { generator.nextUnit() }
        return image.resized(region: region, width: width, height: height)
    }
}

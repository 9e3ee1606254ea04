import MLEngine

/// torchvision's `ColorJitter` on PIL images: brightness, contrast, saturation and hue adjusted by random
/// factors in a random order.
///
/// Draws: first a random order of the four adjustments (Fisher–Yates over [brightness, contrast,
/// saturation, hue], three draws: for i from 3 down to 1, swap i with ⌊u · (i + 1)⌋), then one uniform
/// factor per enabled adjustment, in the order brightness, contrast, saturation, hue (as torchvision's
/// `get_params`). A strength of 0 disables an adjustment (no draw, no effect).
public struct ColorJitter: ImageTransform {
    /// One adjustment with its factor.
    public enum Adjustment: Equatable, Sendable {
        case brightness(Double)
        case contrast(Double)
        case saturation(Double)
        case hue(Double)
    }

    /// Factor ranges; nil when disabled. Brightness, contrast and saturation: [max(0, 1 − s), 1 + s];
    /// hue: [−s, s].
    public let brightness: ClosedRange<Double>?
    /// Contrast factor range.
    public let contrast: ClosedRange<Double>?
    /// Saturation factor range.
    public let saturation: ClosedRange<Double>?
    /// Hue shift range (fractions of a full turn).
    public let hue: ClosedRange<Double>?

    /// Jitter strengths as torchvision's `ColorJitter(brightness, contrast, saturation, hue)` (hue ≤ 0.5).
    public init(brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0) {
        precondition(brightness >= 0 && contrast >= 0 && saturation >= 0, "negative jitter strength")
        precondition((0...0.5).contains(hue), "hue jitter \(hue) is not in [0, 0.5]")
        func around1(_ s: Double) -> ClosedRange<Double>? { s == 0 ? nil : max(0, 1 - s)...(1 + s) }
        self.brightness = around1(brightness)
        self.contrast = around1(contrast)
        self.saturation = around1(saturation)
        self.hue = hue == 0 ? nil : -hue...hue
    }

    /// The adjustments to apply, in order, drawn from `generator`.
    public func adjustments(using generator: inout SeededGenerator) -> [Adjustment] {
        var order = [0, 1, 2, 3]
        for i in stride(from: 3, to: 0, by: -1) {
            order.swapAt(i, Int(generator.nextUnit() * Double(i + 1)))
        }
        func factor(_ range: ClosedRange<Double>?) -> Double? {
            range.map { $0.lowerBound + ($0.upperBound - $0.lowerBound) * generator.nextUnit() }
        }
        let factors = [factor(brightness).map(Adjustment.brightness), factor(contrast).map(Adjustment.contrast),
                       factor(saturation).map(Adjustment.saturation), factor(hue).map(Adjustment.hue)]
        return order.compactMap { factors[$0] }
    }

    /// `image` with `adjustments` applied in order (torchvision's adjust_brightness, adjust_contrast,
    /// adjust_saturation, adjust_hue on PIL images).
    public static func apply(_ adjustments: [Adjustment], to image: RGBImage) -> RGBImage {
        adjustments.reduce(image) { image, adjustment in
            switch adjustment {
            case .brightness(let factor): image.adjustingBrightness(factor)
            case .contrast(let factor): image.adjustingContrast(factor)
            case .saturation(let factor): image.adjustingSaturation(factor)
            case .hue(let factor): image.adjustingHue(factor)
            }
        }
    }

    /// The transformed image.
    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        Self.apply(adjustments(using: &generator), to: image)
    }
}

import MLEngine

/// torchvision's `RandomHorizontalFlip`: mirrors the image when a uniform draw u ∈ [0, 1) is below
/// `probability` (torchvision: `torch.rand(1) < p`). Takes one draw.
public struct RandomHorizontalFlip: ImageTransform {
    /// Chance of a flip.
    public let probability: Double

    /// A flip with chance `probability` (torchvision's default 0.5).
    public init(probability: Double = 0.5) {
        precondition((0...1).contains(probability), "flip probability \(probability) is not in [0, 1]")
        self.probability = probability
    }

    /// The transformed image.
    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        generator.nextUnit() < probability ? image.flippedHorizontally() : image
    }
}

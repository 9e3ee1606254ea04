/// torchvision's `RandomHorizontalFlip`: mirrors the image when a uniform draw u ∈ [0, 1) is below
/// `probability` (torchvision: `torch.rand(1) < p`). Takes one draw.
public struct RandomHorizontalFlip: ImageTransform {
    public let probability: Double

    public init(probability: Double = 0.5) {
        precondition((0...1).contains(probability), "flip probability \(probability) is not in [0, 1]")
        self.probability = probability
    }

    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        generator.nextUnit() < probability ? image.flippedHorizontally() : image
    }
}

import MLEngine

/// A sequence of image transforms ending in a [0, 1] tensor (torchvision's `Compose([..., ToTensor()])`).
public struct ImagePipeline: Sendable {
    /// The steps, applied in order.
    public let steps: [any ImageTransform]

    /// A pipeline of `steps`.
    public init(_ steps: [any ImageTransform]) { self.steps = steps }

    /// The image after every step, random ones drawing from `generator` in step order.
    public func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage {
        steps.reduce(image) { $1.apply(to: $0, using: &generator) }
    }

    /// The transformed image as a [3, H, W] tensor in [0, 1].
    public func tensor(from image: RGBImage, using generator: inout SeededGenerator) -> Tensor {
        apply(to: image, using: &generator).tensor()
    }
}

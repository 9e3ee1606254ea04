import MLEngine

/// One step of an image pipeline with torchvision's semantics on PIL images.
///
/// Random steps draw their parameters from the generator passed in, so a loader can give every sample
/// its own seeded stream and reproduce it; deterministic steps ignore it.
public protocol ImageTransform: Sendable {
    /// The transformed image.
    func apply(to image: RGBImage, using generator: inout SeededGenerator) -> RGBImage
}

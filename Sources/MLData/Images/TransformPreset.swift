/// The train and test transforms of the paper's presets (DESIGN §3).
///
/// | preset | train | test |
/// |---|---|---|
/// | cub | Resize(256 short side), ColorJitter(.25, .25, .25, 0), RRC(224, 0.16–1, 3/4–4/3), flip | Resize(256), CenterCrop(224) |
/// | cars | Resize(256×256), ColorJitter(.3, .3, .3, .1), RRC(224, 0.16–1, ratio 1), flip | Resize(256×256), CenterCrop(224) |
/// | sop | Resize(256×256), RRC(224, 0.16–1, 3/4–4/3), flip | Resize(256×256), CenterCrop(224) |
/// | inshop | RRC(224, 0.16–1, 3/4–4/3), flip | CenterCrop(224) |
/// | fashion-mnist | Resize(32×32), RRC(32, 0.5–1, 3/4–4/3), flip | Resize(32×32) |
///
/// `imageSize` replaces the crop size (224, or 32 for fashion-mnist); the resize sizes stay as listed.
/// Fashion-MNIST's 28×28 grey images enter as RGB with the level replicated (`RGBImage(grayscale:)`).
public enum TransformPreset: String, CaseIterable, Codable, Sendable {
    case cub
    case cars
    case sop
    case inshop
    case fashionMNIST = "fashion-mnist"

    /// The crop size the paper uses.
    public var defaultImageSize: Int { self == .fashionMNIST ? 32 : 224 }

    /// The training pipeline.
    public func train(imageSize: Int? = nil) -> ImagePipeline {
        let size = imageSize ?? defaultImageSize
        let flip = RandomHorizontalFlip()
        let paperRatio = (3.0 / 4)...(4.0 / 3)
        switch self {
        case .cub:
            return ImagePipeline([Resize(.shorterSide(256)), ColorJitter(brightness: 0.25, contrast: 0.25, saturation: 0.25),
                                  RandomResizedCrop(size, scale: 0.16...1, ratio: paperRatio), flip])
        case .cars:
            return ImagePipeline([Resize(.exact(height: 256, width: 256)),
                                  ColorJitter(brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.1),
                                  RandomResizedCrop(size, scale: 0.16...1, ratio: 1...1), flip])
        case .sop:
            return ImagePipeline([Resize(.exact(height: 256, width: 256)),
                                  RandomResizedCrop(size, scale: 0.16...1, ratio: paperRatio), flip])
        case .inshop:
            return ImagePipeline([RandomResizedCrop(size, scale: 0.16...1, ratio: paperRatio), flip])
        case .fashionMNIST:
            return ImagePipeline([Resize(.exact(height: 32, width: 32)),
                                  RandomResizedCrop(size, scale: 0.5...1, ratio: paperRatio), flip])
        }
    }

    /// The evaluation pipeline.
    public func test(imageSize: Int? = nil) -> ImagePipeline {
        let size = imageSize ?? defaultImageSize
        switch self {
        case .cub: return ImagePipeline([Resize(.shorterSide(256)), CenterCrop(size)])
        case .cars, .sop: return ImagePipeline([Resize(.exact(height: 256, width: 256)), CenterCrop(size)])
        case .inshop: return ImagePipeline([CenterCrop(size)])
        case .fashionMNIST:
            return ImagePipeline([Resize(.exact(height: 32, width: 32))] + (size == 32 ? [] : [CenterCrop(size)]))
        }
    }
}

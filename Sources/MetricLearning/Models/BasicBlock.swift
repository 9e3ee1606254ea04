/// ResNet-18/34's block: 3×3 conv (stride) → BN → ReLU → 3×3 conv → BN, plus the shortcut, then ReLU.
///
/// Parameter names match torchvision's `BasicBlock`: `conv1`, `bn1`, `conv2`, `bn2`, `downsample.0/1`.
public final class BasicBlock: ResidualBlock {
    /// Output channels are `planes × expansion`.
    public static let expansion = 1

    public let body: Sequential
    public let downsample: Sequential?
    public let activation = ReLU()
    public let lastBatchNorm: BatchNorm2d
    public let batchNorms: [BatchNorm2d]

    /// A block from `inChannels` to `planes` channels; the first convolution carries `stride`.
    public init(inChannels: Int, planes: Int, stride: Int = 1) {
        let bn1 = BatchNorm2d(features: planes)
        let bn2 = BatchNorm2d(features: planes)
        body = Sequential([
            (name: "conv1", layer: Conv2d(inChannels: inChannels, outChannels: planes, kernelSize: 3,
                                          stride: stride, padding: 1)),
            (name: "bn1", layer: bn1),
            (name: "relu", layer: ReLU()),
            (name: "conv2", layer: Conv2d(inChannels: planes, outChannels: planes, kernelSize: 3, padding: 1)),
            (name: "bn2", layer: bn2),
        ])
        let (shortcut, shortcutNorm) = Self.projection(from: inChannels, to: planes, stride: stride)
        downsample = shortcut
        lastBatchNorm = bn2
        batchNorms = [bn1, bn2] + (shortcutNorm.map { [$0] } ?? [])
    }
}

extension BasicBlock: InputConsumingLayer {}

/// ResNet-18/34's block: 3×3 conv (stride) → BN → ReLU → 3×3 conv → BN, plus the shortcut, then ReLU.
///
/// Parameter names match torchvision's `BasicBlock`: `conv1`, `bn1`, `conv2`, `bn2`, `downsample.0/1`.
public final class BasicBlock: ResidualBlock {
    /// Output channels are `planes × expansion`.
    public static let expansion = 1

    public let body: Sequential
    public let downsample: Sequential?
    public let activation = ReLU()

    /// A block from `inChannels` to `planes` channels; the first convolution carries `stride`.
    public init(inChannels: Int, planes: Int, stride: Int = 1) {
        body = Sequential([
            (name: "conv1", layer: Conv2d(inChannels: inChannels, outChannels: planes, kernelSize: 3,
                                          stride: stride, padding: 1)),
            (name: "bn1", layer: BatchNorm2d(features: planes)),
            (name: "relu", layer: ReLU()),
            (name: "conv2", layer: Conv2d(inChannels: planes, outChannels: planes, kernelSize: 3, padding: 1)),
            (name: "bn2", layer: BatchNorm2d(features: planes)),
        ])
        downsample = Self.projection(from: inChannels, to: planes, stride: stride)
    }
}

extension BasicBlock: InputConsumingLayer {}

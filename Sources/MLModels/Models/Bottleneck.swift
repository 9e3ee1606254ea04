/// ResNet-50/101's block (torchvision's "v1.5"): 1×1 conv → BN → ReLU → 3×3 conv (stride) → BN → ReLU →
/// 1×1 conv to 4 × planes → BN, plus the shortcut, then ReLU.
///
/// Parameter names match torchvision's `Bottleneck`: `conv1`–`conv3`, `bn1`–`bn3`, `downsample.0/1`.
public final class Bottleneck: ResidualBlock {
    /// Output channels are `planes × expansion`.
    public static let expansion = 4

    public let body: Sequential
    public let downsample: Sequential?
    public let activation = ReLU()

    /// A block from `inChannels` to `4 × planes` channels; the 3×3 convolution carries `stride`.
    public init(inChannels: Int, planes: Int, stride: Int = 1) {
        let outChannels = planes * Self.expansion
        body = Sequential([
            (name: "conv1", layer: Conv2d(inChannels: inChannels, outChannels: planes, kernelSize: 1)),
            (name: "bn1", layer: BatchNorm2d(features: planes)),
            (name: "relu1", layer: ReLU()),
            (name: "conv2", layer: Conv2d(inChannels: planes, outChannels: planes, kernelSize: 3,
                                          stride: stride, padding: 1)),
            (name: "bn2", layer: BatchNorm2d(features: planes)),
            (name: "relu2", layer: ReLU()),
            (name: "conv3", layer: Conv2d(inChannels: planes, outChannels: outChannels, kernelSize: 1)),
            (name: "bn3", layer: BatchNorm2d(features: outChannels)),
        ])
        downsample = Self.projection(from: inChannels, to: outChannels, stride: stride)
    }
}

extension Bottleneck: InputConsumingLayer {}

/// The sizes of a 2-D convolution over a batch: PyTorch's `Conv2d` with a square kernel and the same
/// stride, padding and dilation in both directions.
package struct ConvolutionGeometry: Hashable, Sendable {
    let batch: Int
    let inChannels: Int
    let outChannels: Int
    let height: Int
    let width: Int
    let kernelSize: Int
    let stride: Int
    let padding: Int
    let dilation: Int
    let groups: Int

    /// A value with the given members.
    package init(batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int, kernelSize: Int, stride: Int, padding: Int, dilation: Int, groups: Int) {
        self.batch = batch
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.height = height
        self.width = width
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Output rows: ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1.
    var outHeight: Int { (height + 2 * padding - dilation * (kernelSize - 1) - 1) / stride + 1 }
    /// Output columns, as `outHeight`.
    var outWidth: Int { (width + 2 * padding - dilation * (kernelSize - 1) - 1) / stride + 1 }

    /// [N, C, H, W]
    var inputShape: [Int] { [batch, inChannels, height, width] }
    /// [N, O, OH, OW]
    package var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    /// PyTorch's weight shape [O, C/G, k, k] (OIHW).
    var weightShape: [Int] { [outChannels, inChannels / groups, kernelSize, kernelSize] }
    /// oneDNN's weight shape: [G, O/G, C/G, k, k] (GOIHW) for grouped convolutions, else OIHW.
    var primitiveWeightShape: [Int] {
        groups == 1 ? weightShape : [groups, outChannels / groups, inChannels / groups, kernelSize, kernelSize]
    }

    /// Whether oneDNN's `convolution_auto` may choose Winograd (3×3, stride 1, no dilation, no groups).
    var admitsWinograd: Bool { kernelSize == 3 && stride == 1 && dilation == 1 && groups == 1 }
}

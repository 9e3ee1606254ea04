import MLEngine

/// torchvision's `Normalize`: `(x − mean[c]) / std[c]` per channel, in float32, for [C, H, W] or
/// [N, C, H, W] tensors.
///
/// The paper's models normalise inside the model (DESIGN §3), so the presets end at [0, 1]; this is for
/// pipelines that want normalised inputs.
public struct Normalize: Sendable {
    /// Per-channel mean.
    public let mean: [Float]
    /// Per-channel standard deviation.
    public let std: [Float]

    /// A normalisation with one mean and standard deviation per channel.
    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count && !mean.isEmpty, "mean \(mean) and std \(std) must match")
        precondition(std.allSatisfy { $0 != 0 }, "std \(std) has a zero")
        self.mean = mean
        self.std = std
    }

    /// ImageNet's mean and standard deviation.
    public static let imageNet = Normalize(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// The normalised tensor. Throws when `tensor` is not [C, H, W] or [N, C, H, W] with C = mean.count.
    public func callAsFunction(_ tensor: Tensor) throws -> Tensor {
        let shape = tensor.shape
        guard shape.count == 3 || shape.count == 4, shape[shape.count - 3] == mean.count else {
            throw LayerError(layer: "Normalize(\(mean.count) channels)",
                             expected: "[C, H, W] or [N, C, H, W] with C = \(mean.count)", actual: shape)
        }
        var result = tensor.plain()
        let plane = shape[shape.count - 1] * shape[shape.count - 2], count = result.count
        result.withUnsafeMutableStorage { values in
            for start in stride(from: 0, to: count, by: plane) {
                let c = (start / plane) % mean.count
                for i in start..<(start + plane) { values[i] = (values[i] - mean[c]) / std[c] }
            }
        }
        return result
    }
}

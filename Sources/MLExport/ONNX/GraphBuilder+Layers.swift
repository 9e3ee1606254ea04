import MLModels

extension GraphBuilder {
    /// Appends the inference form of `layer`, whose state-dict path is `path`, applied to the value
    /// `input`; returns the output value. Throws `ExportError.unsupportedLayer` for a layer without an
    /// ONNX form here, so a model is never written half-right.
    mutating func add(_ layer: any Layer, path: String, input: String) throws -> String {
        switch layer {
        case let network as ResNet:
            return try add(network.network, path: path, input: input)
        case let block as any ResidualBlock:
            return try addResidual(block, path: path, input: input)
        case let sequence as Sequential:
            return try addSequence(sequence.layers, path: path, input: input)
        case let convolution as Conv2d:
            return try addConvolution(convolution, path: path, input: input, folding: nil)
        case let norm as BatchNorm2d:
            return try addBatchNormalization(
                weight: norm.weight.value.scalars, bias: norm.bias.value.scalars, mean: norm.runningMean.value,
                variance: norm.runningVar.value, epsilon: norm.epsilon, path: path, input: input)
        case is ReLU:
            return node("Relu", [input], path)
        case let pool as MaxPool2d:
            let (k, s, p) = (pool.kernelSize, pool.stride, pool.padding)
            return node("MaxPool", [input], path, [.ints("kernel_shape", [k, k]), .ints("strides", [s, s]),
                                                   .ints("pads", [p, p, p, p])])
        case is GlobalAveragePool:
            let pooled = node("GlobalAveragePool", [input], path + ".pooled")
            return node("Flatten", [pooled], path, [.int("axis", 1)])
        case is Dropout:
            return input
        default:
            return try addFeatureLayer(layer, path: path, input: input)
        }
    }

    /// The layers in order; in the folded form a convolution followed by a batch norm becomes one Conv.
    private mutating func addSequence(_ layers: [(name: String, layer: any Layer)], path: String, input: String)
        throws -> String
    {
        var value = input, index = 0
        while index < layers.count {
            let (name, layer) = layers[index]
            if batchNorm == .folded, let convolution = layer as? Conv2d, index + 1 < layers.count,
               let norm = layers[index + 1].layer as? BatchNorm2d {
                value = try addConvolution(convolution, path: join(path, name), input: value,
                                           folding: (norm, join(path, layers[index + 1].name)))
                index += 2
            } else {
                value = try add(layer, path: join(path, name), input: value)
                index += 1
            }
        }
        return value
    }

    /// relu(body(x) + shortcut(x)), the shortcut being the identity or the projection `downsample`.
    private mutating func addResidual(_ block: any ResidualBlock, path: String, input: String) throws -> String {
        let main = try add(block.body, path: path, input: input)
        let shortcut = try block.downsample.map { try add($0, path: join(path, "downsample"), input: input) } ?? input
        let sum = node("Add", [main, shortcut], path + ".add")
        return node("Relu", [sum], path)
    }

    /// A Conv node; with `folding`, the batch norm's inference map folded into its weight and bias by the
    /// same Float64 arithmetic as `Conv2d`'s fused inference.
    private mutating func addConvolution(_ convolution: Conv2d, path: String, input: String,
                                         folding norm: (layer: BatchNorm2d, path: String)?) throws -> String {
        let (k, s, p, d) = (convolution.kernelSize, convolution.stride, convolution.padding, convolution.dilation)
        let attributes: [Onnx_AttributeProto] = [
            .ints("kernel_shape", [k, k]), .ints("strides", [s, s]), .ints("pads", [p, p, p, p]),
            .ints("dilations", [d, d]), .int("group", convolution.groups),
        ]
        guard let norm else {
            let weight = try initializer(path + ".weight", convolution.weight.value)
            let bias = try convolution.bias.map { try initializer(path + ".bias", $0.value) }
            return node("Conv", [input, weight] + (bias.map { [$0] } ?? []), path, attributes)
        }
        let weight = try initializer(path + ".folded_weight", convolution.foldedWeight(norm.layer))
        let bias = try initializer(path + ".folded_bias", convolution.foldedBias(norm.layer))
        return node("Conv", [input, weight, bias], path, attributes, doc: "\(norm.path) folded into the weight and bias")
    }
}

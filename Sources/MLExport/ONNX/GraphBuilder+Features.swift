import MLEngine
import MLModels

extension GraphBuilder {
    /// The layers that act on [N, C] features (the neck): Linear, BatchNorm1d, LayerNorm, L2 normalisation.
    mutating func addFeatureLayer(_ layer: any Layer, path: String, input: String) throws -> String {
        switch layer {
        case let linear as Linear:
            let weight = try initializer(path + ".weight", linear.weight.value)
            let bias = try initializer(path + ".bias", linear.bias?.value.scalars ?? zeros(linear.outFeatures),
                                       shape: [linear.outFeatures])
            return node("Gemm", [input, weight, bias], path, [.int("transB", 1)])
        case let norm as BatchNorm1d:
            let count = norm.runningMean.value.count
            return try addBatchNormalization(
                weight: norm.weight?.value.scalars ?? ones(count), bias: norm.bias?.value.scalars ?? zeros(count),
                mean: norm.runningMean.value, variance: norm.runningVar.value, epsilon: norm.epsilon, path: path,
                input: input)
        case let norm as LayerNorm:
            return try addLayerNormalization(norm, path: path, input: input)
        case is L2Normalization:
            return try addL2Normalization(path: path, input: input)
        default:
            throw ExportError.unsupportedLayer(path: path, type: "\(type(of: layer))", format: "ONNX")
        }
    }

    /// A BatchNormalization node in inference form (running statistics).
    mutating func addBatchNormalization(weight: [Float], bias: [Float], mean: Tensor, variance: Tensor,
                                        epsilon: Float, path: String, input: String) throws -> String {
        let inputs = [
            input, try initializer(path + ".weight", weight, shape: [weight.count]),
            try initializer(path + ".bias", bias, shape: [bias.count]),
            try initializer(path + ".running_mean", mean), try initializer(path + ".running_var", variance),
        ]
        return node("BatchNormalization", inputs, path, [.float("epsilon", epsilon)])
    }

    /// LayerNormalization over the last axis (opset 17), or below 17 its decomposition
    /// (x − mean) / √(variance + ε) · γ + β with both moments over the features.
    private mutating func addLayerNormalization(_ norm: LayerNorm, path: String, input: String) throws -> String {
        let weight = try norm.weight.map { try initializer(path + ".weight", $0.value) }
        let bias = try norm.bias.map { try initializer(path + ".bias", $0.value) }
        if opset >= 17 {
            let scale = try weight ?? initializer(path + ".scale", ones(norm.features), shape: [norm.features])
            return node("LayerNormalization", [input, scale] + (bias.map { [$0] } ?? []), path,
                        [.int("axis", -1), .float("epsilon", norm.eps)])
        }
        let axes: [Onnx_AttributeProto] = [.ints("axes", [1]), .int("keepdims", 1)]
        let mean = node("ReduceMean", [input], path + ".mean", axes)
        let centered = node("Sub", [input, mean], path + ".centered")
        let variance = node("ReduceMean", [node("Mul", [centered, centered], path + ".squared")], path + ".variance", axes)
        let epsilon = try initializer(path + ".epsilon", [norm.eps], shape: [])
        let deviation = node("Sqrt", [node("Add", [variance, epsilon], path + ".variance_eps")], path + ".deviation")
        let steps = [weight.map { ("Mul", $0) }, bias.map { ("Add", $0) }].compactMap { $0 }
        var value = node("Div", [centered, deviation], steps.isEmpty ? path : path + ".normalized")
        for (index, (op, operand)) in steps.enumerated() {
            value = node(op, [value, operand], index == steps.count - 1 ? path : path + ".scaled")
        }
        return value
    }

    /// x / max(‖x‖₂, ε) per row, from ReduceL2, Max and Div with this package's ε (ONNX's
    /// LpNormalization has none, so a zero row would give NaN).
    private mutating func addL2Normalization(path: String, input: String) throws -> String {
        let norm = node("ReduceL2", [input], path + ".norm", [.ints("axes", [1]), .int("keepdims", 1)])
        let epsilon = try initializer(path + ".epsilon", [L2Normalization.epsilon], shape: [])
        let clamped = node("Max", [norm, epsilon], path + ".clamped")
        return node("Div", [input, clamped], path)
    }

    private func ones(_ count: Int) -> [Float] { Array(repeating: 1, count: count) }
    private func zeros(_ count: Int) -> [Float] { Array(repeating: 0, count: count) }
}

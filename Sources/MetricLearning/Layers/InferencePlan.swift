/// A `Sequential`'s layers regrouped for the inference forward: each `Conv2d` with the `BatchNorm2d` over
/// its output channels and the `ReLU` that directly follow it (either may be absent) runs as one oneDNN
/// convolution, the batch norm folded into its weights and the ReLU fused as a post-op
/// (`Conv2d.inferenceForward`). Other layers run as they are, in inference mode.
///
/// Only the inference forward (`training == false`) uses a plan: training, including frozen batch norm,
/// runs layer by layer, so its numerics and what backward keeps are unchanged.
struct InferencePlan {
    private enum Step {
        /// A convolution, the batch norm folded into it, and the ReLU fused after it.
        case convolution(name: String, Conv2d, norm: BatchNorm2d?, relu: ReLU?)
        case layer(name: String, any Layer)
    }

    private let steps: [Step]

    /// The plan of `layers` (in forward order, with their state-dict names).
    init(_ layers: [(name: String, layer: any Layer)]) {
        var steps: [Step] = []
        var index = 0
        func take<T>(_ type: T.Type, where fits: (T) -> Bool = { _ in true }) -> T? {
            guard index < layers.count, let layer = layers[index].layer as? T, fits(layer) else { return nil }
            index += 1
            return layer
        }
        while index < layers.count {
            let name = layers[index].name
            if let convolution = take(Conv2d.self) {
                let norm = take(BatchNorm2d.self) { $0.features == convolution.outChannels }
                steps.append(.convolution(name: name, convolution, norm: norm, relu: take(ReLU.self)))
            } else {
                steps.append(.layer(name: name, layers[index].layer))
                index += 1
            }
        }
        self.steps = steps
    }

    /// The layers' inference output for `x`; with a `residual`, max(output + residual, 0) — fused into the
    /// last convolution when the plan ends with one that has no ReLU of its own. A shape error names the
    /// step's layer path as `Sequential` does.
    func forward(_ x: Tensor, residual: Tensor? = nil) throws -> Tensor {
        var y = x
        for (index, step) in steps.enumerated() {
            switch step {
            case let .convolution(name, convolution, norm, relu):
                let added = index == steps.count - 1 && relu == nil ? residual : nil
                norm?.releaseSavedState()
                relu?.releaseSavedState()
                y = try LayerError.prefixing(name) {
                    try convolution.inferenceForward(y, folding: norm, adding: added, relu: relu != nil || added != nil)
                }
                if added != nil { return y }
            case let .layer(name, layer):
                y = try LayerError.prefixing(name) { try layer.forward(y, training: false) }
            }
        }
        guard let residual else { return y }
        return Elementwise.relu(Elementwise.add(y, residual))
    }
}

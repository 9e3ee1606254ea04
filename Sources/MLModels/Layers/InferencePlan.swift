import MLEngine

/// A `Sequential`'s layers regrouped for the inference forward: each `Conv2d` with the `BatchNorm2d` over
/// its output channels and the `ReLU` that directly follow it (either may be absent) runs as one oneDNN
/// convolution, the batch norm folded into its weights and the ReLU fused as a post-op
/// (`Conv2d.inferenceForward`). Other layers run as they are, in inference mode; an `InputConsumingLayer`
/// (a residual block) is handed the running activation, so it can reuse its storage.
///
/// Only the inference forward (`training == false`) uses a plan: training, including frozen batch norm,
/// runs layer by layer, so its numerics and what backward keeps are unchanged.
struct InferencePlan {
    private enum Step {
        /// A convolution, the batch norm folded into it, and the ReLU fused after it.
        case convolution(name: String, Conv2d, norm: BatchNorm2d?, relu: ReLU?)
        case consuming(name: String, any InputConsumingLayer)
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
            } else if let layer = take((any InputConsumingLayer).self) {
                steps.append(.consuming(name: name, layer))
            } else {
                steps.append(.layer(name: name, layers[index].layer))
                index += 1
            }
        }
        self.steps = steps
    }

    /// The layers' inference output for `x`. A shape error names the step's layer path as `Sequential` does.
    func forward(_ x: consuming Tensor) throws -> Tensor {
        try run(steps[...], x)
    }

    /// max(output + residual, 0) for input `x`: the addition and ReLU are post-ops of the last convolution
    /// when the plan ends with one that has no ReLU of its own, whose output then reuses the residual's
    /// storage if nothing else references it; otherwise a separate add and ReLU.
    func forward(_ x: consuming Tensor, residual: consuming Tensor) throws -> Tensor {
        guard case let .convolution(name, convolution, norm, nil)? = steps.last else {
            return Elementwise.relu(Elementwise.add(try run(steps[...], x), residual))
        }
        let y = try run(steps.dropLast(), x)
        norm?.releaseSavedState()
        do {
            return try convolution.inferenceForward(y, folding: norm, adding: consume residual, relu: true)
        } catch let error as LayerError {
            throw error.prefixed(with: name)
        }
    }

    /// `steps` applied in order to `x`; each activation is released as soon as the next one exists.
    private func run(_ steps: ArraySlice<Step>, _ x: consuming Tensor) throws -> Tensor {
        var y = consume x
        for step in steps {
            switch step {
            case let .convolution(name, convolution, norm, relu):
                norm?.releaseSavedState()
                relu?.releaseSavedState()
                y = try LayerError.prefixing(name) {
                    try convolution.inferenceForward(y, folding: norm, adding: nil, relu: relu != nil)
                }
            case let .consuming(name, layer):
                do {
                    y = try layer.inferenceForward(consume y)
                } catch let error as LayerError {
                    throw error.prefixed(with: name)
                }
            case let .layer(name, layer):
                y = try LayerError.prefixing(name) { try layer.forward(y, training: false) }
            }
        }
        return y
    }
}

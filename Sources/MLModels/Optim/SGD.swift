import MLEngine

/// Stochastic gradient descent exactly as `torch.optim.SGD`: weight decay, momentum with dampening, and
/// Nesterov momentum, over parameter groups that differ in weight decay.
///
/// For each trainable parameter p with gradient g, one `step()` does (torch's order of operations):
///
///     d = g + weightDecay · p
///     if momentum ≠ 0:  b = d on the first step, else b = momentum · b + (1 − dampening) · d
///                       d = nesterov ? d + momentum · b : b
///     p = p − learningRate · d
///
/// The values are updated in place and each parameter's `version` bumped. Momentum buffers are kept by
/// parameter name so checkpoints can save and restore them (`momentumBuffers`, `loadMomentumBuffers`).
public final class SGD {
    /// Parameters sharing one weight decay.
    public struct ParameterGroup {
        /// The parameters by unique name (e.g. `backbone.layer1.0.conv1.weight`, `loss.classifier.weight`).
        public var parameters: [(name: String, parameter: Parameter)]
        /// The L2 penalty coefficient added to the gradients.
        public var weightDecay: Double

        public init(parameters: [(name: String, parameter: Parameter)], weightDecay: Double) {
            self.parameters = parameters
            self.weightDecay = weightDecay
        }
    }

    /// The step size; a schedule sets it before every step.
    public var learningRate: Double
    /// The momentum factor (0: plain SGD).
    public let momentum: Double
    /// The dampening of the gradient in the momentum update.
    public let dampening: Double
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool
    /// The parameter groups.
    public let groups: [ParameterGroup]
    /// The momentum buffers by parameter name (absent before a parameter's first step).
    public private(set) var momentumBuffers: [String: Tensor] = [:]

    /// An optimizer over `groups`. Throws `OptimizerError` for a negative rate, momentum or weight decay, or
    /// Nesterov without momentum or with dampening (as torch does).
    public init(groups: [ParameterGroup], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false) throws {
        guard learningRate >= 0 else { throw OptimizerError("learning rate must be ≥ 0, got \(learningRate)") }
        guard momentum >= 0 else { throw OptimizerError("momentum must be ≥ 0, got \(momentum)") }
        if let group = groups.first(where: { $0.weightDecay < 0 }) {
            throw OptimizerError("weight decay must be ≥ 0, got \(group.weightDecay)")
        }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw OptimizerError("Nesterov momentum requires momentum > 0 and dampening 0 (got momentum \(momentum), dampening \(dampening))")
        }
        let names = groups.flatMap { $0.parameters.map(\.name) }
        precondition(Set(names).count == names.count, "parameter names must be unique across groups")
        self.groups = groups
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    /// Two groups of `parameters`' trainable entries: weight decay `weightDecay` on those of dimension > 1
    /// (weights), none on the others (biases, batch-norm affine parameters). Buffers are left out.
    public static func groupsWithoutBiasDecay(_ parameters: [(name: String, parameter: Parameter)],
                                              weightDecay: Double) -> [ParameterGroup] {
        let trainable = parameters.filter { $0.parameter.isTrainable }
        return [
            ParameterGroup(parameters: trainable.filter { $0.parameter.value.shape.count > 1 }, weightDecay: weightDecay),
            ParameterGroup(parameters: trainable.filter { $0.parameter.value.shape.count <= 1 }, weightDecay: 0),
        ]
    }

    /// Updates every parameter that has a gradient from its gradient.
    public func step() {
        for group in groups {
            for (name, parameter) in group.parameters {
                guard let gradient = parameter.gradient else { continue }
                update(parameter, name: name, gradient: gradient.plain(), weightDecay: Float(group.weightDecay))
            }
        }
    }

    /// Sets the gradients of all parameters to zero.
    public func zeroGradients() {
        for group in groups { for entry in group.parameters { entry.parameter.zeroGradient() } }
    }

    private func update(_ parameter: Parameter, name: String, gradient: Tensor, weightDecay: Float) {
        precondition(gradient.shape == parameter.value.shape, "\(name): gradient \(gradient.shape) for value \(parameter.value.shape)")
        let count = gradient.count
        let rate = Float(learningRate), momentum = Float(momentum), keep = 1 - Float(dampening)
        gradient.withUnsafeStorage { g in
            parameter.value.withUnsafeMutableStorage { p in
                guard momentum != 0 else {
                    Self.forEachChunk(count) { range in
                        for i in range { p[i] -= rate * (g[i] + weightDecay * p[i]) }
                    }
                    return
                }
                let firstStep = momentumBuffers[name] == nil
                var buffer = momentumBuffers.removeValue(forKey: name) ?? Tensor(shape: gradient.shape)
                buffer.withUnsafeMutableStorage { b in
                    Self.forEachChunk(count) { range in
                        for i in range {
                            var d = g[i] + weightDecay * p[i]
                            b[i] = firstStep ? d : momentum * b[i] + keep * d
                            d = nesterov ? d + momentum * b[i] : b[i]
                            p[i] -= rate * d
                        }
                    }
                }
                momentumBuffers[name] = buffer
            }
        }
        parameter.markUpdated()
    }

    /// Calls `body` on consecutive ranges covering 0..<count, on the engine's threads when there are
    /// enough elements to share (each element's update is independent, so the result is the same).
    private static func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
        let size = 1 << 16
        guard count > size else { return body(0..<count) }
        let ranges = chunks(count, size: size)
        parallelFor(ranges.count) { body(ranges[$0]) }
    }

    /// Restores momentum buffers saved from `momentumBuffers` (e.g. from a checkpoint). Throws
    /// `OptimizerError` for a name that is not one of this optimizer's parameters or a wrong shape.
    public func loadMomentumBuffers(_ buffers: [String: Tensor]) throws {
        let shapes = Dictionary(uniqueKeysWithValues: groups.flatMap(\.parameters).map { ($0.name, $0.parameter.value.shape) })
        for (name, buffer) in buffers.sorted(by: { $0.key < $1.key }) {
            guard let shape = shapes[name] else { throw OptimizerError("momentum buffer for unknown parameter '\(name)'") }
            guard shape == buffer.shape else {
                throw OptimizerError("momentum buffer '\(name)' has shape \(buffer.shape), parameter has \(shape)")
            }
        }
        momentumBuffers = buffers.mapValues { $0.plain() }
    }
}

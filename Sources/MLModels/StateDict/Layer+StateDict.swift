import MLEngine
import MLFormats

extension Layer {
    /// Copies the tensors of `weights` into this layer's parameters and buffers by state-dict name.
    ///
    /// Keys the filter ignores are skipped on both sides (by default `num_batches_tracked`; pass
    /// `.backbone` to also skip a torchvision classifier `fc.*`). With `strict`, any missing, unexpected or
    /// mis-shaped key throws `StateDictError` listing them and nothing is changed; otherwise the matching
    /// keys load and the report lists the rest. Values are converted to Float32 from the file's dtype.
    @discardableResult
    public func load(_ weights: some StateDictSource, strict: Bool = true,
                     ignoring filter: StateDictFilter = .unmodelled) throws -> StateDictLoadReport {
        var report = StateDictLoadReport()
        let fileNames = weights.tensorNames
        var modelKeys = Set<String>()
        var matches: [(name: String, parameter: Parameter)] = []
        for (name, parameter) in namedParameters {
            modelKeys.insert(name)
            if filter.ignores(name) {
                report.ignored.append(name)
            } else if let shape = weights.shape(of: name) {
                if shape == parameter.value.shape {
                    matches.append((name, parameter))
                } else {
                    report.mismatched.append(.init(name: name, modelShape: parameter.value.shape, fileShape: shape))
                }
            } else {
                report.missing.append(name)
            }
        }
        for name in fileNames where !modelKeys.contains(name) {
            if filter.ignores(name) { report.ignored.append(name) } else { report.unexpected.append(name) }
        }
        if strict && !report.isExact {
            throw StateDictError(source: weights.source, problem: "weights do not match the model: \(report.problems())")
        }
        let values = try matches.map { try weights.tensor(named: $0.name) }
        for (match, value) in zip(matches, values) {
            match.parameter.value = value
            report.loaded.append(match.name)
        }
        return report
    }

    /// The parameters and buffers as (state-dict name, plain tensor) pairs in `state_dict` order.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedParameters.map { ($0.name, $0.parameter.value.plain()) }
    }
}

extension SafeTensorsFile {
    /// A file holding `layer`'s state dict (torchvision names) stored as `dtype`, with `metadata`.
    public init(stateDictOf layer: some Layer, metadata: [String: String] = [:], as dtype: TensorDType = .float32) {
        self.init(metadata: metadata)
        for (name, tensor) in layer.stateDict() { add(tensor, named: name, as: dtype) }
    }
}

import MLEngine

extension ResNet {
    /// Re-initialises every parameter and buffer as torchvision does, drawing from `SeededGenerator(seed)`.
    ///
    /// In `state_dict` order: convolution weights Kaiming-normal with fan-out and ReLU gain
    /// (std √(2 / (out · k · k)); each normal from two draws, Box–Muller); batch-norm weight 1, bias 0,
    /// running mean 0, running variance 1; `fc` as PyTorch's `nn.Linear` default, weight then bias uniform in
    /// ±1/√in. With `zeroInitResidual`, each block's last batch-norm weight is 0.
    public func resetParameters(seed: UInt64, zeroInitResidual: Bool = false) {
        var generator = SeededGenerator(seed: seed)
        for norm in batchNorms {
            norm.weight.value = Tensor(shape: norm.weight.value.shape, repeating: 1)
            norm.bias.value = Tensor(shape: norm.bias.value.shape, repeating: 0)
            norm.runningMean.value = Tensor(shape: norm.runningMean.value.shape, repeating: 0)
            norm.runningVar.value = Tensor(shape: norm.runningVar.value.shape, repeating: 1)
        }
        for (_, parameter) in namedParameters where parameter.value.shape.count == 4 {
            let shape = parameter.value.shape
            let std = (2 / Double(shape[0] * shape[2] * shape[3])).squareRoot()
            let values = (0..<parameter.value.count).map { _ in Float(generator.nextNormal() * std) }
            parameter.value = Tensor(shape: shape, values: values)
        }
        if let fc {
            let bound = 1 / Double(fc.weight.value.shape[1]).squareRoot()
            fc.weight.value = generator.tensor(fc.weight.value.shape, scale: bound)
            if let bias = fc.bias { bias.value = generator.tensor(bias.value.shape, scale: bound) }
        }
        if zeroInitResidual {
            for block in blocks {
                let weight = block.lastBatchNorm.weight
                weight.value = Tensor(shape: weight.value.shape, repeating: 0)
            }
        }
    }
}

import MLDistributed
import MLEngine
import MLFormats
import MLModels

extension Check {
    /// The model of the gradient checks: ResNet-18 with a batch-norm and remap neck, seed 3.
    static func gradientModel() throws -> EmbeddingModel {
        try EmbeddingModel(.init(arch: .resnet18, featureNorm: .batch, remap: 16), seed: 3)
    }

    /// Two backward passes of `gradientModel` on this rank's `input.<r>` with output gradient `dy.<r>`,
    /// averaged by a `GradientBucketer` of 1 MiB buckets (progress driver: the option, `thread` or
    /// `layers`), each summing the scalar [rank + 1] with the gradients. Writes the second pass's gradients
    /// by parameter name, the buckets each pass started during its backward and the summed scalars.
    func gradients() throws {
        let file = try inputFile()
        let model = try Self.gradientModel()
        let input = try file.tensor(named: "input.\(rank)"), dy = try file.tensor(named: "dy.\(rank)")
        let driver: ProgressDriver = option == "layers" ? .betweenLayers : .default
        let bucketer = try GradientBucketer(parameters: model.trainableParameters.map(\.parameter),
                                            communicator: communicator, bucketBytes: 1 << 20, driver: driver)
        var early: [Int] = [], sums: [Float] = []
        for _ in 0..<2 {
            model.zeroGradients()
            _ = try model.forward(input, training: true)
            GradientObservation.$observer.withValue(bucketer) { _ = model.backward(dy, needsInputGradient: false) }
            sums += try bucketer.reduce(adding: [Double(rank + 1)]).map(Float.init)
            early.append(bucketer.lastTiming.bucketsStartedEarly)
        }
        var output = SafeTensorsFile()
        for (name, parameter) in model.trainableParameters { output.add(parameter.gradient!, named: name) }
        try output.add(integers: early + [bucketer.bucketCount], named: "early")
        output.add(floats: sums, shape: [sums.count], named: "scalars")
        try write(output)
    }
}

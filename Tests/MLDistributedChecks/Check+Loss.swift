import MLDistributed
import MLEngine
import MLFormats
import MLLosses
import MLModels

extension Check {
    /// The criterion of the loss checks: `loss[+miner]` from the registry for 4 classes and the input's
    /// embedding size, seed 11, a classifier's parameters set from the input file's `loss.*` tensors.
    static func criterion(_ text: String, embeddingSize: Int, file: SafeTensorsFile) throws -> Criterion {
        let parts = text.split(separator: "+").map(String.init)
        let criterion = try LossRegistry.makeCriterion(loss: parts[0], miner: parts.count > 1 ? parts[1] : "none",
                                                       classes: 4, embeddingSize: embeddingSize, seed: 11)
        for (name, parameter) in criterion.namedParameters { parameter.value = try file.tensor(named: "loss." + name) }
        return criterion
    }

    /// This rank's rows of the input's `embeddings` and `labels` (equal slices) through a
    /// `DistributedCriterion` of the option's loss: writes the value, the rows' gradient, the loss
    /// parameters' gradients, the correct count and the dropout stream position afterwards.
    func loss() throws {
        let file = try inputFile()
        let embeddings = try file.tensor(named: "embeddings"), labels = try file.integers(named: "labels")
        let criterion = try Self.criterion(option ?? "contrastive", embeddingSize: embeddings.shape[1], file: file)
        let rows = labels.count / communicator.size
        let own = (rank * rows)..<((rank + 1) * rows)
        let distributed = DistributedCriterion(criterion, communicator: communicator)
        let (value, gradient, correct) = try distributed(embeddings.rows(own), labels: Array(labels[own]))
        var output = SafeTensorsFile()
        output.add(floats: [Float(value)], shape: [1], named: "value")
        output.add(gradient, named: "gradient")
        for (name, parameter) in criterion.namedParameters { output.add(parameter.gradient!, named: "loss." + name) }
        try output.add(integers: [correct ?? -1], named: "correct")
        try output.add(integers: [Int((criterion.loss as? SmoothCrossEntropyLoss)?.dropout.generatorPosition ?? 0)],
                   named: "dropout_position")
        try write(output)
    }
}

import Foundation
import MLEngine
import MLFormats
import MLLosses
import TestSupport
import Testing

/// `DistributedCriterion` over 2 ranks (`Check.loss`), each holding 8 of the 16 rows of a global batch,
/// against the criterion evaluated by one process on the whole batch. Pairwise losses (with a miner or not)
/// must give the global value on both ranks and, divided by W = 2, the global gradient of their rows; the
/// cross-entropy with dropout gives per-rank means whose mean is the global value, rows' gradients likewise,
/// classifier gradients whose mean is the global one, and masks that are the global batch's.
/// Tolerances: the value 1e-6 relative (the same float64 sums over the same rows, in another order for the
/// per-rank means), gradients 1e-5 norm-relative (float32 storage); a wrong row offset, a missing ×W or a
/// mask from the wrong stream position misses by O(1).
@Suite(.serialized) struct DistributedCriterionTests {
    /// 16 embeddings of size 8 in 4 classes (4 each, interleaved so both halves hold every class), and a
    /// random classifier for the classification losses.
    static func input(in directory: TemporaryDirectory) throws -> (URL, Tensor, [Int], SafeTensorsFile) {
        var generator = SeededGenerator(seed: 31)
        let embeddings = generator.tensor([16, 8])
        let labels = (0..<16).map { $0 % 4 }
        var file = SafeTensorsFile()
        file.add(embeddings, named: "embeddings")
        try file.add(integers: labels, named: "labels")
        file.add(generator.tensor([4, 8], scale: 0.5), named: "loss.classifier.weight")
        file.add(generator.tensor([4], scale: 0.5), named: "loss.classifier.bias")
        let url = directory.url.appendingPathComponent("batch.safetensors")
        try file.write(to: url)
        return (url, embeddings, labels, try SafeTensorsFile(contentsOf: url))
    }

    /// The checks' criterion (as `Check.criterion`): `loss[+miner]`, 4 classes, seed 11, `loss.*` from `file`.
    static func criterion(_ text: String, file: SafeTensorsFile) throws -> Criterion {
        let parts = text.split(separator: "+").map(String.init)
        let criterion = try LossRegistry.makeCriterion(loss: parts[0], miner: parts.count > 1 ? parts[1] : "none",
                                                       classes: 4, embeddingSize: 8, seed: 11)
        for (name, parameter) in criterion.namedParameters { parameter.value = try file.tensor(named: "loss." + name) }
        return criterion
    }

    func expectGlobalBatchLoss(_ loss: String, gathered: Bool) throws {
        let directory = try TemporaryDirectory()
        let (url, embeddings, labels, file) = try Self.input(in: directory)
        let criterion = try Self.criterion(loss, file: file)
        let (value, gradient, _) = try criterion(embeddings, labels: labels)
        let job = try CheckJob("loss", input: url, option: loss, in: directory)
        guard job.succeeded() else { return }
        let ranks = [try job.output(rank: 0), try job.output(rank: 1)]
        let values = try ranks.map { Double(try $0.floats(named: "value")[0]) }
        if gathered {
            for rankValue in values { #expect(abs(rankValue - value) <= 1e-6 * abs(value), "\(loss): \(rankValue) vs \(value)") }
        } else {
            #expect(abs((values[0] + values[1]) / 2 - value) <= 1e-6 * abs(value), "\(loss): \(values) vs \(value)")
        }
        for rank in 0..<2 {
            let got = try ranks[rank].floats(named: "gradient").map { $0 / 2 }
            let expected = gradient.rows((rank * 8)..<((rank + 1) * 8)).scalars.map(Double.init)
            let error = relativeError(got, expected)
            #expect(error < 1e-5, "\(loss) rank \(rank) rows' gradient ÷ 2: \(error); \(worstMismatch(got, expected))")
        }
        for (name, parameter) in criterion.namedParameters {
            let mean = zip(try ranks[0].floats(named: "loss." + name), try ranks[1].floats(named: "loss." + name)).map { ($0 + $1) / 2 }
            let expected = parameter.gradient!.scalars.map(Double.init)
            #expect(relativeError(mean, expected) < 1e-5, "\(loss) \(name): \(worstMismatch(mean, expected))")
        }
        let position = Int((criterion.loss as? SmoothCrossEntropyLoss)?.dropout.generatorPosition ?? 0)
        #expect(try ranks.map { try $0.integers(named: "dropout_position") } == [[position], [position]])
    }

    @Test func contrastiveOverTwoRanksIsTheGlobalBatchLoss() throws {
        try expectGlobalBatchLoss("contrastive", gathered: true)
    }

    @Test func tripletWithAMinerOverTwoRanksIsTheGlobalBatchLoss() throws {
        try expectGlobalBatchLoss("triplet:margin=0.1+triplet_margin", gathered: true)
    }

    @Test func crossEntropyWithDropoutAveragesToTheGlobalBatchLoss() throws {
        try expectGlobalBatchLoss("cross_entropy:dropout=0.5", gathered: false)
    }
}

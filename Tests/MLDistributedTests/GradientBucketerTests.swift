import Foundation
@testable import MLDistributed
import MLEngine
import MLFormats
import MLModels
import TestSupport
import Testing

/// `GradientBucketer` over 2 ranks (`Check.gradients`): each rank backpropagates its own batch through
/// ResNet-18 with a neck; after `reduce` both hold the mean of the two ranks' gradients. The reference is
/// this process running both batches through the same model. Tolerance 1e-5 norm-relative per tensor: the
/// two sides differ only in how many threads split oneDNN's reductions (≈1e-7 seen), while a bucket copied to
/// the wrong place or a missed rank is off by O(1).
@Suite(.serialized) struct GradientBucketerTests {
    /// The checks' model: ResNet-18, batch-norm and remap-16 neck, seed 3 (as `Check.gradientModel`).
    static func model() throws -> EmbeddingModel {
        try EmbeddingModel(.init(arch: .resnet18, featureNorm: .batch, remap: 16), seed: 3)
    }

    /// Inputs [2, 3, 32, 32] and output gradients [2, 16] per rank, and the mean of their gradients.
    static func inputsAndMeanGradients(in directory: TemporaryDirectory) throws -> (URL, [String: [Double]]) {
        var generator = SeededGenerator(seed: 21)
        var file = SafeTensorsFile()
        var sums: [String: [Double]] = [:]
        let model = try model()
        for rank in 0..<2 {
            let input = Tensor(shape: [2, 3, 32, 32], values: (0..<(2 * 3 * 32 * 32)).map { _ in Float(generator.nextUnit()) })
            let dy = generator.tensor([2, 16])
            file.add(input, named: "input.\(rank)")
            file.add(dy, named: "dy.\(rank)")
            model.zeroGradients()
            _ = try model.forward(input, training: true)
            _ = model.backward(dy, needsInputGradient: false)
            for (name, parameter) in model.trainableParameters {
                let values = parameter.gradient!.scalars.map { Double($0) / 2 }
                sums[name] = zip(sums[name] ?? Array(repeating: 0, count: values.count), values).map { $0 + $1 }
            }
        }
        let url = directory.url.appendingPathComponent("inputs.safetensors")
        try file.write(to: url)
        return (url, sums)
    }

    func expectAveragedGradients(driver: String) throws {
        let directory = try TemporaryDirectory()
        let (input, mean) = try Self.inputsAndMeanGradients(in: directory)
        let job = try CheckJob("gradients", input: input, option: driver, in: directory)
        guard job.succeeded() else { return }
        let (rank0, rank1) = (try job.output(rank: 0), try job.output(rank: 1))
        for (name, expected) in mean.sorted(by: { $0.key < $1.key }) {
            let got = try rank0.floats(named: name)
            let error = relativeError(got, expected)
            #expect(error < 1e-5, "\(name): \(error); \(worstMismatch(got, expected))")
            #expect(try rank1.floats(named: name) == got, "\(name): the ranks' averages differ")
        }
        // [buckets started during the backward in pass 1, in pass 2, buckets]: the first pass learns the
        // order and starts every bucket in `reduce`; in the second every bucket starts during the backward
        // (the last one once the stem's convolution has reported).
        let early = try rank0.integers(named: "early")
        #expect(early[0] == 0 && early[2] > 10 && early[1] == early[2], "\(early)")
        #expect(try rank0.floats(named: "scalars") == [3, 3], "the ranks' scalars 1 and 2 summed in each pass")
    }

    @Test func theCommunicationThreadAveragesGradientsDuringTheBackward() throws {
        try expectAveragedGradients(driver: "thread")
    }

    @Test func testingBetweenLayersAveragesGradientsDuringTheBackward() throws {
        try expectAveragedGradients(driver: "layers")
    }
}

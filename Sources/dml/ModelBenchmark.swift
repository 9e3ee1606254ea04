import Foundation
import MetricLearning

/// The workload of `dml bench model`: torchvision's classifier step on random data and the inference forward.
///
/// A training step is `<arch>(num_classes=100)` with batch norm in training mode, cross-entropy with label
/// smoothing 0.1, SGD (lr 0.01, momentum 0.9, Nesterov, weight decay 5e-4 on all parameters), no input
/// gradient: `fc` is the loss's classifier (same shapes, torchvision's default init), so the step uses the
/// library's own loss and optimizer. Inference is the forward in inference mode, then the classifier.
final class ModelBenchmark {
    private let batch: Int
    private let model: ResNet
    private let loss: SmoothCrossEntropyLoss
    private let optimizer: SGD
    private let images: Tensor
    private let labels: [Int]

    /// The model in `precision` with seeded weights, a seeded batch of `batch` images of `size`² and labels.
    init(arch: String, batch: Int, size: Int, precision: Precision) throws {
        let classCount = 100
        self.batch = batch
        model = ResNet(try ResNet.Architecture(name: arch), classCount: nil)
        model.precision = precision
        loss = try SmoothCrossEntropyLoss(classes: classCount, embeddingSize: model.featureCount, smoothing: 0.1)
        var generator = SeededGenerator(seed: 1)
        let bound = 1 / Double(model.featureCount).squareRoot()
        loss.weight.value = generator.tensor(loss.weight.value.shape, scale: bound)
        loss.bias.value = generator.tensor(loss.bias.value.shape, scale: bound)
        images = Tensor(shape: [batch, 3, size, size],
                        values: (0..<(batch * 3 * size * size)).map { _ in Float(generator.nextUnit()) })
        labels = (0..<batch).map { _ in Int(generator.next() % UInt64(classCount)) }
        let parameters = model.trainableParameters + loss.namedParameters.map { ("fc." + $0.name, $0.parameter) }
        optimizer = try SGD(groups: [.init(parameters: parameters, weightDecay: 5e-4)],
                            learningRate: 0.01, momentum: 0.9, nesterov: true)
    }

    /// One training step; with `profile`, the loss and the optimizer step are timed as sections of it.
    func trainStep(_ profile: PrimitiveProfile? = nil) throws {
        func section<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
            try profile?.time(name, body) ?? body()
        }
        section("zero gradients (Swift)") { optimizer.zeroGradients() }
        let features = try model.forward(images, training: true)
        let gradient = try section("loss (Swift and its sgemm)") {
            try loss.evaluate(features, labels: labels, training: true).gradient
        }
        _ = model.backward(gradient, needsInputGradient: false)
        section("SGD step (Swift)") { optimizer.step() }
    }

    /// One inference batch: features, then the classifier's logits.
    func inferenceStep(_ profile: PrimitiveProfile? = nil) throws {
        let features = try model.forward(images, training: false)
        _ = try profile?.time("loss (Swift and its sgemm)") {
            try loss.evaluate(features, labels: labels, training: false)
        } ?? loss.evaluate(features, labels: labels, training: false)
    }

    /// Profiles of `steps` training steps and `steps` inference batches (after a warm-up of each), with the
    /// wall seconds each took.
    func profile(steps: Int) throws -> [(phase: String, seconds: Double, profile: PrimitiveProfile)] {
        try trainStep()
        let train = try PrimitiveProfile.recording { profile in
            try seconds { for _ in 0..<steps { try trainStep(profile) } }
        }
        try inferenceStep()
        let inference = try PrimitiveProfile.recording { profile in
            try seconds { for _ in 0..<steps { try inferenceStep(profile) } }
        }
        return [("train", train.result, train.profile), ("inference", inference.result, inference.profile)]
    }

    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let elapsed = try ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Training and inference images per second over `steps` steps each, after one untimed warm-up step
    /// (which creates the primitives).
    func measure(steps: Int) throws -> (train: Double, inference: Double) {
        (try imagesPerSecond(steps: steps) { try trainStep() }, try imagesPerSecond(steps: steps) { try inferenceStep() })
    }

    private func imagesPerSecond(steps: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        return Double(batch * steps) / (try seconds { for _ in 0..<steps { try body() } })
    }
}

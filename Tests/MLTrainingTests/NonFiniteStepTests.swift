import Foundation
@testable import MLEngine
@testable import MLTraining
import TestSupport
import Testing

/// A training step that meets a NaN changes no parameter, wherever the NaN shows: in the loss, or only in the
/// gradients (a ReLU or max-pool passes 0 for a NaN input, so NaN images can leave the embeddings finite).
@Suite struct NonFiniteStepTests {
    @Test(arguments: ["all", "one"])
    func nanImagesThrowAndChangeNoParameter(_ pixels: String) throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, subfolder: "data", trainPerClass: 4, testPerClass: 1)
        var configuration = try TinyFashionMNIST.configuration(data: directory.url.appendingPathComponent("data"), epochs: 1)
        configuration.imageSize = 16
        configuration.batchSize = 10
        let trainer = try Trainer(configuration: configuration, runFolder: directory.url.appendingPathComponent("run"),
                                  progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        var generator = SeededGenerator(seed: 5)
        var values = generator.uniform(count: 10 * 3 * 16 * 16, scale: 0.5).map { $0 + 0.5 }
        if pixels == "all" { values = values.map { _ in .nan } } else { values[777] = .nan }
        let parameters = trainer.model.namedParameters + trainer.step.criterion.namedParameters
        let before = parameters.map { $0.parameter.value.scalars }
        let error = #expect(throws: TrainingStep.NonFinite.self) {
            try trainer.step(images: Tensor(shape: [10, 3, 16, 16], values: values), labels: Array(0..<10).map { $0 % 5 },
                             iteration: 0)
        }
        #expect(error?.value.isNaN == true)
        for ((name, parameter), values) in zip(parameters, before) where !name.hasSuffix("running_mean") && !name.hasSuffix("running_var") {
            #expect(parameter.value.scalars.elementsEqual(values) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(name) changed")
        }
    }
}

import Foundation
import MetricLearning

// Trains ResNet-18 with the fashion-mnist recipe (Debian's Fashion-MNIST: classes 0–4 to train, retrieval
// among classes 5–9) for a few iterations into runs/fm, evaluating before training, as `dml train` does.
var options = TrainingOptions()
options.epochs = 1
options.workers = 1
let configuration = try TrainingConfiguration(preset: .fashionMNIST, options: options)
let trainer = try Trainer(configuration: configuration, runFolder: URL(fileURLWithPath: "runs/fm"))
let summary = try trainer.run(iterationLimit: 10)
print(summary.description)

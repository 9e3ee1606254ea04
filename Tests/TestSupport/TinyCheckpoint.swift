import Foundation
import MLTraining

/// A checkpoint of the fashion-mnist recipe after one training step on `TinyFashionMNIST` (10 classes,
/// 4 training and 2 test images each), made once per test process: the model the index and service
/// tests embed with. Its dataset folder holds the IDX files, so the "all" split has 60 images.
package enum TinyCheckpoint {
    /// The dataset folder and the checkpoint file.
    package static func make() throws -> (data: URL, checkpoint: URL) {
        let (_, data, checkpoint) = try shared.get()
        return (data, checkpoint)
    }

    /// Made on first use; the directory lives as long as the process.
    nonisolated(unsafe) private static let shared = Result { () throws -> (directory: TemporaryDirectory, data: URL, checkpoint: URL) in
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 4, testPerClass: 2)
        var configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 1)
        configuration.batchSize = 10
        let run = directory.url.appendingPathComponent("run")
        try Trainer(configuration: configuration, runFolder: run,
                    progress: ProgressReporter(lineEvery: 1000, isTerminal: false)).run(iterationLimit: 1)
        return (directory, directory.url, RunFolder(run).lastCheckpoint)
    }
}

import Foundation
import MLData
import MLEngine
import MLTraining

/// A tiny generated dataset in Fashion-MNIST's layout, and the training configuration the tests run on it.
package enum TinyFashionMNIST {
    /// Uncompressed IDX files of `perClass` 28×28 images per class 0…9: a bright bar whose position and
    /// orientation depend on the class, plus seeded noise; in `subfolder` of `directory` when given.
    package static func write(in directory: TemporaryDirectory, subfolder: String? = nil,
                              trainPerClass: Int, testPerClass: Int) throws {
        let prefixPath = subfolder.map { $0 + "/" } ?? ""
        var generator = SeededGenerator(seed: 99)
        for (prefix, perClass) in [("train", trainPerClass), ("t10k", testPerClass)] {
            var pixels: [UInt8] = [], labels: [UInt8] = []
            for index in 0..<(10 * perClass) {
                let label = index % 10
                for y in 0..<28 {
                    for x in 0..<28 {
                        let along = label < 5 ? y : x
                        let bar = abs(along - (3 + 5 * (label % 5))) <= 1
                        let noise = generator.nextUnit() * 60
                        pixels.append(UInt8(min(255, (bar ? 190 : 20) + noise)))
                    }
                }
                labels.append(UInt8(label))
            }
            try directory.write("\(prefixPath)\(prefix)-images-idx3-ubyte", bytes: idxFile(shape: [labels.count, 28, 28], values: pixels))
            try directory.write("\(prefixPath)\(prefix)-labels-idx1-ubyte", bytes: idxFile(shape: [labels.count], values: labels))
        }
    }

    /// An unsigned-byte IDX file of `shape` holding `values`.
    package static func idxFile(shape: [Int], values: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for d in shape { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: d >> $0) } }
        return bytes + values
    }

    /// The pixels of every image of a grey split, one array per image.
    package static func pixels(_ split: DatasetSplit) throws -> [[UInt8]] {
        try (0..<split.count).map { index in
            guard case .grey(_, _, let pixels) = try split.input(at: index) else { throw TrainingError.invalidRun("not grey") }
            return Array(pixels)
        }
    }

    /// The train split of a dataset of 6 training and 2 test images per class, and the folder holding it.
    package static func trainSplit() throws -> (TemporaryDirectory, DatasetSplit) {
        let directory = try TemporaryDirectory()
        try write(in: directory, trainPerClass: 6, testPerClass: 2)
        return (directory, try Dataset.load(.fashionMNIST, at: directory.url).split("train"))
    }

    /// The fashion-mnist preset on the dataset at `data`: batches of 25, lr 0.01 constant, one worker, seed 7.
    package static func configuration(data: URL, epochs: Int = 2) throws -> TrainingConfiguration {
        var options = TrainingOptions()
        options.data = data.path
        options.epochs = epochs
        options.batchSize = 25
        options.lr = 0.01
        options.schedule = .constant
        options.logEvery = 1
        options.workers = 1
        options.seed = 7
        return try TrainingConfiguration(preset: .fashionMNIST, options: options)
    }
}

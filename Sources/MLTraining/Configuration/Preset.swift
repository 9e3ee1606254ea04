import MLData
import MLModels

/// A named training recipe: the paper's four (DESIGN §3, from the authors' code) and the embedded
/// Fashion-MNIST default. Command-line options override single fields; `TrainingConfiguration` holds
/// the resolved result.
public struct Preset: Sendable, Equatable {
    /// The preset's name on the command line (`cub`, `cars`, `sop`, `inshop`, `fashion-mnist`).
    public let name: String
    /// The dataset layout the preset reads.
    public let dataset: DatasetFormat
    /// The train and test image transforms (DESIGN §3; `Data/TransformPreset.swift`).
    public let transforms: TransformPreset
    /// The backbone (`resnet18`, `resnet34`, `resnet50`, `resnet101`).
    public let arch: ResNet.Architecture
    /// Whether the preset fine-tunes ImageNet weights (then `--pretrained` or `--from-scratch` is required).
    public let needsPretrainedWeights: Bool
    /// Backbone batch norm frozen during training (`set_bn_eval`).
    public let batchNormFrozen: Bool
    /// Feature normalisation in the neck.
    public let featureNorm: FeatureNorm
    /// Dropout on the embedding before the classifier.
    public let dropout: Double
    /// Training epochs.
    public let epochs: Int
    /// Base learning rate.
    public let lr: Double
    /// SGD momentum.
    public let momentum: Double
    /// Nesterov momentum (only meaningful with momentum > 0).
    public let nesterov: Bool
    /// Training batch size.
    public let batchSize: Int
    /// Evaluation batch size.
    public let testBatchSize: Int
    /// Recall@K values reported.
    public let recallK: [Int]
    /// Where the dataset is installed by default (Debian's package for Fashion-MNIST), or nil.
    public var defaultDataPath: String? {
        dataset == .fashionMNIST ? FashionMNIST.defaultDirectory.path : nil
    }

    /// Weight decay on parameters of dimension > 1 (DESIGN §3, all presets).
    public static let weightDecay = 5e-4
    /// Label smoothing ε of the cross-entropy (all presets).
    public static let labelSmoothing = 0.1

    /// The preset called `name`; throws the list of valid names otherwise.
    public static func named(_ name: String) throws -> Preset {
        guard let preset = all.first(where: { $0.name == name }) else {
            throw TrainingError.unknownName(kind: "preset", name: name, valid: all.map(\.name))
        }
        return preset
    }

    /// Every preset, in the order the help text lists them.
    public static let all: [Preset] = [cub, cars, sop, inshop, fashionMNIST]

    /// CUB-200-2011.
    public static let cub = paper(
        name: "cub", dataset: .cub, transforms: .cub, epochs: 30, lr: 0.02, momentum: 0, nesterov: false,
        featureNorm: .none, recallK: [1, 2, 4, 8, 16, 32])

    /// Cars196.
    public static let cars = paper(
        name: "cars", dataset: .cars, transforms: .cars, epochs: 100, lr: 0.05, momentum: 0, nesterov: false,
        featureNorm: .batch, recallK: [1, 2, 4, 8, 16, 32])

    /// Stanford Online Products.
    public static let sop = paper(
        name: "sop", dataset: .sop, transforms: .sop, epochs: 100, lr: 0.003, momentum: 0.99, nesterov: true,
        featureNorm: .batch, recallK: [1, 10, 100, 1000])

    /// In-Shop Clothes Retrieval.
    public static let inshop = paper(
        name: "inshop", dataset: .inshop, transforms: .inshop, epochs: 100, lr: 0.003, momentum: 0.99, nesterov: true,
        featureNorm: .batch, recallK: [1, 10, 20, 30, 40, 50])

    /// Fashion-MNIST from scratch: the embedded default (DESIGN §3).
    public static let fashionMNIST = Preset(
        name: "fashion-mnist", dataset: .fashionMNIST, transforms: .fashionMNIST, arch: .resnet18,
        needsPretrainedWeights: false, batchNormFrozen: false, featureNorm: .none, dropout: 0, epochs: 5, lr: 0.02,
        momentum: 0.9, nesterov: true, batchSize: 128, testBatchSize: 256, recallK: [1, 2, 4, 8])

    /// The shared shape of the paper's presets: ResNet-50, ImageNet weights, frozen batch norm, dropout 0.5.
    private static func paper(
        name: String, dataset: DatasetFormat, transforms: TransformPreset, epochs: Int, lr: Double, momentum: Double,
        nesterov: Bool, featureNorm: FeatureNorm, recallK: [Int]
    ) -> Preset {
        Preset(
            name: name, dataset: dataset, transforms: transforms, arch: .resnet50, needsPretrainedWeights: true, batchNormFrozen: true,
            featureNorm: featureNorm, dropout: 0.5, epochs: epochs, lr: lr, momentum: momentum, nesterov: nesterov,
            batchSize: 128, testBatchSize: 256, recallK: recallK)
    }
}

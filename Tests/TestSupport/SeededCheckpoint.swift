import Foundation
import MLEngine
import MLLosses
import MLModels
import MLTraining

/// Checkpoints of untrained models whose every tensor is drawn by `ResNetParity.fill` (batch norms with
/// running means ≠ 0 and variances ≠ 1, so a fold or a missing statistic shows), for tests of what reads
/// checkpoints (export, embed). The preset is In-Shop's, whose test transform is a centre crop only.
package enum SeededCheckpoint {
    /// Writes the checkpoint of `arch` with the given neck at `imageSize` to `url` and returns its model.
    @discardableResult
    package static func write(to url: URL, arch: ResNet.Architecture, featureNorm: FeatureNorm = .none,
                              remap: Int? = nil, l2Normalize: Bool = false, imageSize: Int, seed: UInt64) throws
        -> EmbeddingModel
    {
        var options = TrainingOptions()
        options.data = url.deletingLastPathComponent().path
        options.fromScratch = true
        options.arch = arch
        options.featureNorm = featureNorm
        options.remap = remap
        options.l2Normalize = l2Normalize
        options.imageSize = imageSize
        options.seed = seed
        let configuration = try TrainingConfiguration(preset: .inshop, options: options)
        let model = try EmbeddingModel(configuration.model, seed: nil)
        var generator = SeededGenerator(seed: seed)
        ResNetParity.fill(model, from: &generator)
        let classes = 10
        let criterion = try LossRegistry.makeCriterion(loss: configuration.loss, classes: classes,
                                                       embeddingSize: model.embeddingSize, seed: seed)
        let optimizer = try SGD(
            groups: TrainingStep.parameterGroups(model: model, criterion: criterion, weightDecay: configuration.weightDecay),
            learningRate: configuration.lr, momentum: configuration.momentum)
        try Checkpoint(model: model, loss: criterion.loss, optimizer: optimizer, classes: classes, state: TrainingState(),
                       configuration: configuration).write(to: url)
        return model
    }
}

import Foundation
import MLEvaluation

/// One line of `metrics.jsonl` (DESIGN §6): an evaluation after `epoch` epochs (0: before training) on the
/// test classes, and with `--val-classes` on the held-out training classes (`"validation": {"cosine", "l2"}`).
public struct EvaluationRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var cosine: RetrievalMetrics
    public var l2: RetrievalMetrics
    /// The metrics on the held-out training classes (absent without `--val-classes`).
    public var validation: SplitMetrics?
    /// Mean training loss, SPCE and classifier accuracy of the epoch (absent for epoch 0; the accuracy also
    /// for losses without a classifier).
    public var trainLoss: Double?
    public var trainSpce: Double?
    public var trainAccuracy: Double?
    /// Seconds the epoch took, training and evaluation.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, cosine, l2, validation, seconds
        case trainLoss = "train_loss"
        case trainSpce = "train_spce"
        case trainAccuracy = "train_accuracy"
    }

    public init(epoch: Int, cosine: RetrievalMetrics, l2: RetrievalMetrics, validation: SplitMetrics? = nil,
                trainLoss: Double?, trainSpce: Double?, trainAccuracy: Double? = nil, seconds: Double) {
        self.epoch = epoch
        self.cosine = cosine
        self.l2 = l2
        self.validation = validation
        self.trainLoss = trainLoss
        self.trainSpce = trainSpce
        self.trainAccuracy = trainAccuracy
        self.seconds = seconds
    }

    /// The recall that chooses the best epoch: cosine R@1 on the validation classes when held out, else on
    /// the test classes.
    public var selectionRecall: Double {
        (validation?.cosine ?? cosine).recallAtK[1] ?? 0
    }

    /// "epoch 3: R@1 0.8123 R@2 … (cosine) | R@1 … (L2), loss 0.512, SPCE 1.23, accuracy 0.91, 84 s", with
    /// "; validation R@1 … (cosine) | … (L2)" before the loss when classes were held out.
    public var summary: String {
        func recalls(_ metrics: RetrievalMetrics) -> String {
            metrics.recallAtK.keys.sorted().map { String(format: "R@%d %.4f", $0, metrics.recallAtK[$0] ?? 0) }
                .joined(separator: " ")
        }
        var text = "epoch \(epoch): \(recalls(cosine)) (cosine) | \(recalls(l2)) (L2)"
        if let validation {
            text += "; validation \(recalls(validation.cosine)) (cosine) | \(recalls(validation.l2)) (L2)"
        }
        if let trainLoss { text += String(format: ", loss %.4f", trainLoss) }
        if let trainSpce { text += String(format: ", SPCE %.4f", trainSpce) }
        if let trainAccuracy { text += String(format: ", accuracy %.4f", trainAccuracy) }
        return text + String(format: ", %.0f s", seconds)
    }
}

/// One line of `train_log.jsonl`: the batch's loss, SPCE and classifier accuracy (absent for a loss
/// without a classifier), the learning rate and throughput.
public struct TrainLogRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    /// Iterations completed over the run.
    public var iteration: Int
    public var loss: Double
    public var spce: Double
    public var accuracy: Double?
    public var lr: Double
    public var imagesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case epoch, iteration, loss, spce, accuracy, lr
        case imagesPerSecond = "images_per_second"
    }
}

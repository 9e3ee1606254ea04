import ArgumentParser
import MetricLearning

/// The options of `dml train` that change what is trained: each overrides one field of the preset. A
/// resumed run refuses them (the schedule and the random streams depend on them).
struct RecipeOptions: ParsableArguments {
    @Option(help: "Dataset root (default: where the preset's dataset is usually installed).")
    var data: String?
    @Option(help: "Backbone: \(ResNet.Architecture.allValueStrings.joined(separator: ", ")).")
    var arch: ResNet.Architecture?
    @Option(help: "Backbone weights (.safetensors or torchvision .pth).")
    var pretrained: String?
    @Flag(help: "Train a paper preset without pretrained weights.")
    var fromScratch = false
    @Option(help: "Loss from the registry as name[:key=value,…] (`dml losses` lists them).",
            transform: LossSpecification.init(parsing:))
    var loss: LossSpecification?
    @Option(help: "Miner from the registry as name[:key=value,…], or none (pairwise losses; `dml losses` lists them).",
            transform: LossSpecification.init(parsing:))
    var miner: LossSpecification?
    @Option(help: "Batch sampler: \(SamplerKind.allValueStrings.joined(separator: ", ")).")
    var sampler: SamplerKind?
    @Option(help: "Images per class in a batch for the m-per-class sampler.")
    var samplesPerClass: Int?
    @Option var epochs: Int?
    @Option var lr: Double?
    @Option var momentum: Double?
    @Flag(inversion: .prefixedNo, help: "Nesterov momentum.")
    var nesterov: Bool?
    @Option(help: "Images per forward/backward pass (per micro-batch with --accumulate).")
    var batchSize: Int?
    @Option(help: "Micro-batches of --batch-size summed into one optimizer step (effective batch N × batch size; the schedule counts steps; batch norm sees micro-batches).")
    var accumulate: Int?
    @Option(help: "Feature normalisation in the neck: \(FeatureNorm.allValueStrings.joined(separator: ", ")).")
    var featureNorm: FeatureNorm?
    @Option(help: "Embedding size of a remap Linear after the backbone.")
    var remap: Int?
    @Flag(inversion: .prefixedNo, help: "L2-normalise the embedding inside the model.")
    var l2Normalize: Bool?
    @Option var dropout: Double?
    @Option var labelSmoothing: Double?
    @Flag(name: .customLong("set-bn-eval"), inversion: .prefixedNo, help: "Freeze backbone batch norm.")
    var batchNormFrozen: Bool?
    @Option(help: "Learning-rate schedule: \(LearningRateSchedule.Kind.allValueStrings.joined(separator: ", ")).")
    var schedule: LearningRateSchedule.Kind?
    @Option(help: "Epochs between evaluations.")
    var evalEvery: Int?
    @Option(help: "Share of the training classes held out (not trained on) to choose the best epoch on, e.g. 0.2.")
    var valClasses: Double?
    @Option var seed: UInt64?
    @Option(help: "Side of the square network input (default: the preset's).")
    var imageSize: Int?
    @Option(help: "Arithmetic: fp32, or bf16 mixed precision (needs a CPU with AVX512_BF16; checkpoints stay fp32).")
    var precision: Precision?

    /// One option: its flag and, when given, how it sets `TrainingOptions`.
    private struct Override {
        let flag: String
        let apply: ((inout TrainingOptions) -> Void)?

        init<Value>(_ flag: String, _ value: Value?, _ field: WritableKeyPath<TrainingOptions, Value?>) {
            self.flag = flag
            apply = value.map { value in { $0[keyPath: field] = value } }
        }

        init(_ flag: String, set: Bool, _ field: WritableKeyPath<TrainingOptions, Bool>) {
            self.flag = flag
            apply = set ? { $0[keyPath: field] = true } : nil
        }
    }

    /// Every option of this group, in help order.
    private var overrides: [Override] {
        [Override("--data", data, \.data), Override("--arch", arch, \.arch),
         Override("--pretrained", pretrained, \.pretrained), Override("--from-scratch", set: fromScratch, \.fromScratch),
         Override("--loss", loss, \.loss), Override("--miner", miner, \.miner), Override("--sampler", sampler, \.sampler),
         Override("--samples-per-class", samplesPerClass, \.samplesPerClass), Override("--epochs", epochs, \.epochs),
         Override("--lr", lr, \.lr), Override("--momentum", momentum, \.momentum),
         Override("--nesterov", nesterov, \.nesterov), Override("--batch-size", batchSize, \.batchSize),
         Override("--accumulate", accumulate, \.accumulate), Override("--feature-norm", featureNorm, \.featureNorm),
         Override("--remap", remap, \.remap), Override("--l2-normalize", l2Normalize, \.l2Normalize),
         Override("--dropout", dropout, \.dropout), Override("--label-smoothing", labelSmoothing, \.labelSmoothing),
         Override("--set-bn-eval", batchNormFrozen, \.batchNormFrozen), Override("--schedule", schedule, \.schedule),
         Override("--eval-every", evalEvery, \.evalEvery), Override("--val-classes", valClasses, \.valClasses),
         Override("--seed", seed, \.seed), Override("--image-size", imageSize, \.imageSize),
         Override("--precision", precision, \.precision)]
    }

    /// The given options applied to `options`.
    func apply(to options: inout TrainingOptions) {
        for case let apply? in overrides.map(\.apply) { apply(&options) }
    }

    /// The flags of the options given on the command line.
    var given: [String] { overrides.filter { $0.apply != nil }.map(\.flag) }
}

extension ResNet.Architecture: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}
extension FeatureNorm: ExpressibleByArgument {}
extension LearningRateSchedule.Kind: ExpressibleByArgument {}

/// Losses and miners by name, for the CLI (`--loss triplet:margin=0.1 --miner batch_hard`).
///
/// Names and parameter keys follow PML's snake_case arguments; defaults are PML's (DESIGN §5) and the
/// paper's (DESIGN §3). Classification losses need the class count and embedding size; `seed` draws
/// their initial weights and dropout masks.
public enum LossRegistry {
    /// The loss names `makeLoss` knows.
    public static let lossNames = [
        "cross_entropy", "normalized_softmax", "arcface", "proxy_nca", "proxy_anchor", "center", "spce",
    ]
    /// The miner names `makeMiner` knows.
    public static let minerNames: [String] = []

    /// The loss `specification` names. Throws `LossError` for an unknown name or parameter or a bad value.
    public static func makeLoss(_ specification: LossSpecification, classes: Int, embeddingSize: Int,
                                seed: UInt64 = 0) throws -> any MetricLoss {
        var reader = ParameterReader(specification)
        let loss: any MetricLoss
        switch specification.name {
        case "cross_entropy":
            loss = try SmoothCrossEntropyLoss(
                classes: classes, embeddingSize: embeddingSize,
                smoothing: try reader.double("smoothing", default: 0.1), dropout: try reader.double("dropout", default: 0),
                normalizesWeight: try reader.bool("normalize_weight", default: false), seed: seed)
        case "normalized_softmax":
            loss = try NormalizedSoftmaxLoss(classes: classes, embeddingSize: embeddingSize,
                                             temperature: try reader.double("temperature", default: 0.05), seed: seed)
        case "arcface":
            loss = try ArcFaceLoss(classes: classes, embeddingSize: embeddingSize,
                                   margin: try reader.double("margin", default: 28.6),
                                   scale: try reader.double("scale", default: 64), seed: seed)
        case "proxy_nca":
            loss = try ProxyNCALoss(classes: classes, embeddingSize: embeddingSize,
                                    softmaxScale: try reader.double("softmax_scale", default: 1),
                                    distance: try reader.distance(default: "lp", power: 2), seed: seed)
        case "proxy_anchor":
            loss = try ProxyAnchorLoss(classes: classes, embeddingSize: embeddingSize,
                                       margin: try reader.double("margin", default: 0.1),
                                       alpha: try reader.double("alpha", default: 32), seed: seed)
        case "center":
            loss = try CenterLoss(classes: classes, embeddingSize: embeddingSize)
        case "spce":
            loss = try SPCELoss(classes: classes, presentClassesOnly: try reader.bool("present_only", default: false))
        default:
            throw LossError(loss: specification.name, problem: "unknown loss (known: \(lossNames.joined(separator: ", ")))")
        }
        try reader.finish()
        return loss
    }

    /// The loss named by `text` (`name:key=value,…`).
    public static func makeLoss(_ text: String, classes: Int, embeddingSize: Int, seed: UInt64 = 0) throws -> any MetricLoss {
        try makeLoss(LossSpecification(parsing: text), classes: classes, embeddingSize: embeddingSize, seed: seed)
    }

    /// The miner `specification` names. Throws `LossError` for an unknown name or parameter or a bad value.
    public static func makeMiner(_ specification: LossSpecification) throws -> any Miner {
        throw LossError(loss: specification.name, problem: "unknown miner (known: \(minerNames.joined(separator: ", ")))")
    }

    /// The miner named by `text` (`name:key=value,…`).
    public static func makeMiner(_ text: String) throws -> any Miner {
        try makeMiner(LossSpecification(parsing: text))
    }

    /// A loss with a miner: `miner` nil gives the loss's default miner (none for most), "none" none.
    public static func makeCriterion(loss: String, miner: String? = nil, classes: Int, embeddingSize: Int,
                                     seed: UInt64 = 0) throws -> Criterion {
        let specification = try LossSpecification(parsing: loss)
        let made = try makeLoss(specification, classes: classes, embeddingSize: embeddingSize, seed: seed)
        let minerText = miner ?? defaultMiners[specification.name]
        guard let minerText, minerText != "none" else { return Criterion(loss: made) }
        return Criterion(loss: made, miner: try makeMiner(minerText))
    }

    /// The miner each loss uses when none is named.
    public static let defaultMiners: [String: String] = [:]
}

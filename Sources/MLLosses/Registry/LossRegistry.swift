/// Losses and miners by name, for the CLI (`--loss triplet:margin=0.1 --miner batch_hard`).
///
/// Names and parameter keys follow PML's snake_case arguments; defaults are PML's (DESIGN §5) and the
/// paper's (DESIGN §3). Classification losses need the class count and embedding size; `seed` draws
/// their initial weights and dropout masks.
public enum LossRegistry {
    /// The loss names `makeLoss` knows.
    public static let lossNames = [
        "cross_entropy", "normalized_softmax", "arcface", "proxy_nca", "proxy_anchor", "center", "spce",
        "contrastive", "triplet", "multi_similarity", "nca", "supcon", "circle",
    ]
    /// The miner names `makeMiner` knows.
    public static let minerNames = ["triplet_margin", "batch_hard", "multi_similarity", "pair_margin"]

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
        case "contrastive":
            loss = ContrastiveLoss(positiveMargin: try reader.double("pos_margin", default: 0),
                                   negativeMargin: try reader.double("neg_margin", default: 1),
                                   distance: try reader.distance(default: "lp"), reducer: try reader.reducer(default: "avg_non_zero"))
        case "triplet":
            loss = TripletMarginLoss(margin: try reader.double("margin", default: 0.05), swap: try reader.bool("swap", default: false),
                                     smoothLoss: try reader.bool("smooth_loss", default: false),
                                     distance: try reader.distance(default: "lp"), reducer: try reader.reducer(default: "avg_non_zero"))
        case "multi_similarity":
            loss = MultiSimilarityLoss(alpha: try reader.double("alpha", default: 2), beta: try reader.double("beta", default: 50),
                                       base: try reader.double("base", default: 0.5),
                                       distance: try reader.distance(default: "cosine"), reducer: try reader.reducer(default: "mean"))
        case "nca":
            loss = NCALoss(softmaxScale: try reader.double("softmax_scale", default: 1),
                           distance: try reader.distance(default: "lp", power: 2), reducer: try reader.reducer(default: "mean"))
        case "supcon":
            loss = SupConLoss(temperature: try reader.double("temperature", default: 0.1),
                              distance: try reader.distance(default: "cosine"), reducer: try reader.reducer(default: "avg_non_zero"))
        case "circle":
            loss = CircleLoss(m: try reader.double("m", default: 0.4), gamma: try reader.double("gamma", default: 80),
                              reducer: try reader.reducer(default: "avg_non_zero"))
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
        var reader = ParameterReader(specification)
        let miner: any Miner
        switch specification.name {
        case "triplet_margin":
            let selection = try reader.choice("type", default: "all", among: TripletMarginMiner.Selection.allCases.map(\.rawValue))
            miner = TripletMarginMiner(margin: try reader.double("margin", default: 0.2),
                                       selection: TripletMarginMiner.Selection(rawValue: selection) ?? .all,
                                       distance: try reader.distance(default: "lp"))
        case "batch_hard":
            miner = BatchHardMiner(distance: try reader.distance(default: "lp"))
        case "multi_similarity":
            miner = MultiSimilarityMiner(epsilon: try reader.double("epsilon", default: 0.1), distance: try reader.distance(default: "cosine"))
        case "pair_margin":
            miner = PairMarginMiner(positiveMargin: try reader.double("pos_margin", default: 0.2),
                                    negativeMargin: try reader.double("neg_margin", default: 0.8),
                                    distance: try reader.distance(default: "lp"))
        default:
            throw LossError(loss: specification.name, problem: "unknown miner (known: \(minerNames.joined(separator: ", ")))")
        }
        try reader.finish()
        return miner
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

    /// The miner each loss uses when none is named: the multi-similarity loss comes with its miner
    /// (as in its paper); the others use every pair or triplet.
    public static let defaultMiners = ["multi_similarity": "multi_similarity"]
}

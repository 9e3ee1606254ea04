/// Losses and miners by name, for the CLI (`--loss triplet:margin=0.1 --miner batch_hard`): one table
/// entry per loss and miner with its name, kind, parameters (with defaults and a line of documentation),
/// default miner and builder. `dml losses` prints the table; unknown names and parameters are refused
/// with the table's lists.
///
/// Names and parameter keys follow PML's snake_case arguments; defaults are PML's (DESIGN §5) and the
/// paper's (DESIGN §3). Classification losses need the class count and embedding size; `seed` draws
/// their initial weights and dropout masks.
public enum LossRegistry {
    /// Every loss, in the order `dml losses` lists them.
    public static let losses: [LossEntry] = classificationLosses + pairwiseLosses

    /// Every miner.
    public static let miners: [MinerEntry] = [
        MinerEntry(
            name: "triplet_margin", summary: "Triplets violating the margin (PML TripletMarginMiner)",
            parameters: [.init("margin", "0.2", "margin on d(a,p) − d(a,n)"),
                         .init("type", "all", "all, hard, semihard or easy triplets")]
                + ParameterInfo.distance("lp")
        ) { reader in
            let selection = try reader.choice("type", among: TripletMarginMiner.Selection.allCases.map(\.rawValue))
            return TripletMarginMiner(margin: try reader.double("margin"),
                                      selection: TripletMarginMiner.Selection(rawValue: selection) ?? .all,
                                      distance: try reader.distance())
        },
        MinerEntry(name: "batch_hard", summary: "Hardest positive and negative per anchor (PML BatchHardMiner)",
                   parameters: ParameterInfo.distance("lp")) { reader in
            BatchHardMiner(distance: try reader.distance())
        },
        MinerEntry(
            name: "multi_similarity", summary: "Pairs near the decision boundary (PML MultiSimilarityMiner)",
            parameters: [.init("epsilon", "0.1", "margin around the hardest pair")] + ParameterInfo.distance("cosine")
        ) { reader in
            MultiSimilarityMiner(epsilon: try reader.double("epsilon"), distance: try reader.distance())
        },
        MinerEntry(
            name: "pair_margin", summary: "Positive pairs beyond and negatives within a margin (PML PairMarginMiner)",
            parameters: [.init("pos_margin", "0.2", "positive pairs farther than this"),
                         .init("neg_margin", "0.8", "negative pairs closer than this")] + ParameterInfo.distance("lp")
        ) { reader in
            PairMarginMiner(positiveMargin: try reader.double("pos_margin"), negativeMargin: try reader.double("neg_margin"),
                            distance: try reader.distance())
        },
    ]

    /// The loss entry called `name`; throws `LossError` listing the known names otherwise.
    public static func loss(named name: String) throws -> LossEntry {
        guard let entry = losses.first(where: { $0.name == name }) else {
            throw LossError(loss: name, problem: "unknown loss (known: \(losses.map(\.name).joined(separator: ", ")))")
        }
        return entry
    }

    /// The miner entry called `name`; throws `LossError` listing the known names otherwise.
    public static func miner(named name: String) throws -> MinerEntry {
        guard let entry = miners.first(where: { $0.name == name }) else {
            throw LossError(loss: name, problem: "unknown miner (known: \(miners.map(\.name).joined(separator: ", ")))")
        }
        return entry
    }

    /// The loss `specification` names. Throws `LossError` for an unknown name or parameter or a bad value.
    public static func makeLoss(_ specification: LossSpecification, classes: Int, embeddingSize: Int,
                                seed: UInt64 = 0) throws -> any MetricLoss {
        let entry = try loss(named: specification.name)
        var reader = ParameterReader(specification, declared: entry.parameters)
        let loss = try entry.build(&reader, LossEntry.Context(classes: classes, embeddingSize: embeddingSize, seed: seed))
        try reader.finish()
        return loss
    }

    /// The loss named by `text` (`name:key=value,…`).
    public static func makeLoss(_ text: String, classes: Int, embeddingSize: Int, seed: UInt64 = 0) throws -> any MetricLoss {
        try makeLoss(LossSpecification(parsing: text), classes: classes, embeddingSize: embeddingSize, seed: seed)
    }

    /// The miner `specification` names. Throws `LossError` for an unknown name or parameter or a bad value.
    public static func makeMiner(_ specification: LossSpecification) throws -> any Miner {
        let entry = try miner(named: specification.name)
        var reader = ParameterReader(specification, declared: entry.parameters)
        let miner = try entry.build(&reader)
        try reader.finish()
        return miner
    }

    /// The miner named by `text` (`name:key=value,…`).
    public static func makeMiner(_ text: String) throws -> any Miner {
        try makeMiner(LossSpecification(parsing: text))
    }

    /// A loss with a miner: `miner` nil gives the loss's default miner (none for most), one named `none` none.
    public static func makeCriterion(loss: LossSpecification, miner: LossSpecification? = nil, classes: Int,
                                     embeddingSize: Int, seed: UInt64 = 0) throws -> Criterion {
        let made = try makeLoss(loss, classes: classes, embeddingSize: embeddingSize, seed: seed)
        let minerName = try miner?.name ?? self.loss(named: loss.name).defaultMiner
        guard let minerName, minerName != "none" else { return Criterion(loss: made) }
        return Criterion(loss: made, miner: try makeMiner(miner ?? LossSpecification(name: minerName)))
    }

    /// `makeCriterion` from the CLI's texts (`name:key=value,…`).
    public static func makeCriterion(loss: String, miner: String? = nil, classes: Int, embeddingSize: Int,
                                     seed: UInt64 = 0) throws -> Criterion {
        try makeCriterion(loss: LossSpecification(parsing: loss), miner: miner.map(LossSpecification.init(parsing:)),
                          classes: classes, embeddingSize: embeddingSize, seed: seed)
    }
}

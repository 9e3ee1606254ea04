/// One loss of the registry: its name, kind, parameters and how to build it.
public struct LossEntry: Sendable {
    /// Whether a loss trains a classifier (proxies, centres) or compares the batch's pairs and triplets.
    public enum Kind: String, Sendable {
        /// Needs the class count; takes plain random batches.
        case classification
        /// Over the batch's pairs or triplets (optionally mined); takes m-per-class batches.
        case pairwise
    }

    /// What a classification loss needs to build its parameters.
    struct Context {
        let classes: Int
        let embeddingSize: Int
        let seed: UInt64
    }

    /// The name in `--loss`.
    public let name: String
    public let kind: Kind
    /// One line saying what the loss is.
    public let summary: String
    /// The miner used when none is named, or nil (every pair or triplet).
    public let defaultMiner: String?
    /// The parameters `name:key=value,…` accepts, with their defaults.
    public let parameters: [ParameterInfo]
    let build: @Sendable (inout ParameterReader, Context) throws -> any MetricLoss

    init(name: String, kind: Kind, summary: String, defaultMiner: String? = nil, parameters: [ParameterInfo],
         build: @escaping @Sendable (inout ParameterReader, Context) throws -> any MetricLoss) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.defaultMiner = defaultMiner
        self.parameters = parameters
        self.build = build
    }
}

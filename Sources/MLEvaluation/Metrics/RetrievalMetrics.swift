/// Retrieval and clustering metrics of one evaluation (DESIGN §5), as fractions.
///
/// A metric is nil when it was not computed, or when no query has a same-label reference (where PML
/// reports NaN). Encodes to DESIGN §6's JSON: `{"recall_at_k": {"1": …}, "precision_at_1": …,
/// "r_precision": …, "mean_average_precision_at_r": …, "nmi": …, "ami": …}` without absent keys.
public struct RetrievalMetrics: Sendable, Equatable, Codable {
    /// Recall@K for each K: the share of queries with a same-label item among their K nearest; a query
    /// whose label has no other item counts as a miss.
    public var recallAtK: [Int: Double] = [:]
    /// P@1 over the queries with at least one same-label reference.
    public var precisionAt1: Double?
    /// R-precision over the queries with at least one same-label reference.
    public var rPrecision: Double?
    /// MAP@R over the queries with at least one same-label reference.
    public var meanAveragePrecisionAtR: Double?
    /// Normalised mutual information (arithmetic) of a k-means clustering against the labels.
    public var nmi: Double?
    /// Adjusted mutual information (arithmetic) of the same clustering.
    public var ami: Double?

    /// Metrics with nothing computed yet.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case recallAtK = "recall_at_k"
        case precisionAt1 = "precision_at_1"
        case rPrecision = "r_precision"
        case meanAveragePrecisionAtR = "mean_average_precision_at_r"
        case nmi, ami
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let recall = try container.decodeIfPresent([String: Double].self, forKey: .recallAtK) ?? [:]
        for (key, value) in recall {
            guard let k = Int(key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .recallAtK, in: container, debugDescription: "recall_at_k key \"\(key)\" is not an integer")
            }
            recallAtK[k] = value
        }
        precisionAt1 = try container.decodeIfPresent(Double.self, forKey: .precisionAt1)
        rPrecision = try container.decodeIfPresent(Double.self, forKey: .rPrecision)
        meanAveragePrecisionAtR = try container.decodeIfPresent(Double.self, forKey: .meanAveragePrecisionAtR)
        nmi = try container.decodeIfPresent(Double.self, forKey: .nmi)
        ami = try container.decodeIfPresent(Double.self, forKey: .ami)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !recallAtK.isEmpty {
            try container.encode(
                Dictionary(uniqueKeysWithValues: recallAtK.map { (String($0.key), $0.value) }), forKey: .recallAtK)
        }
        try container.encodeIfPresent(precisionAt1, forKey: .precisionAt1)
        try container.encodeIfPresent(rPrecision, forKey: .rPrecision)
        try container.encodeIfPresent(meanAveragePrecisionAtR, forKey: .meanAveragePrecisionAtR)
        try container.encodeIfPresent(nmi, forKey: .nmi)
        try container.encodeIfPresent(ami, forKey: .ami)
    }

    /// The JSON object on one line, keys in DESIGN §6's order and K ascending (for people and diffs).
    public var jsonText: String {
        var fields: [String] = []
        if !recallAtK.isEmpty {
            let entries = recallAtK.keys.sorted().map { "\"\($0)\": \(recallAtK[$0] ?? 0)" }
            fields.append("\"recall_at_k\": {\(entries.joined(separator: ", "))}")
        }
        let scalars: [(CodingKeys, Double?)] = [
            (.precisionAt1, precisionAt1), (.rPrecision, rPrecision),
            (.meanAveragePrecisionAtR, meanAveragePrecisionAtR), (.nmi, nmi), (.ami, ami),
        ]
        for case let (key, value?) in scalars { fields.append("\"\(key.rawValue)\": \(value)") }
        return "{\(fields.joined(separator: ", "))}"
    }
}

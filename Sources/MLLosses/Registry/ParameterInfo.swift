/// A parameter a loss or miner accepts: its key, its default (as the text a user would write) and what it does.
public struct ParameterInfo: Sendable, Equatable {
    public let name: String
    public let defaultValue: String
    public let summary: String

    init(_ name: String, _ defaultValue: String, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// The distance parameters, defaulting to `kind` (lp, cosine or dot) with `power` (which applies to the
    /// default kind; another kind chosen by the user gets power 1).
    static func distance(_ kind: String, power: Int = 1) -> [ParameterInfo] {
        [.init("distance", kind, "lp, cosine or dot"),
         .init("normalize_embeddings", "true", "L2-normalise the embeddings first (lp, dot)"),
         .init("p", "2", "the norm's p (lp)"),
         .init("power", String(power), power == 1 ? "raise the distance to this power"
                : "raise the distance to this power (1 when another distance is chosen)")]
    }

    /// The reducer parameter, defaulting to `kind` (mean, avg_non_zero or sum).
    static func reducer(_ kind: String) -> ParameterInfo {
        .init("reducer", kind, "mean, avg_non_zero or sum")
    }
}

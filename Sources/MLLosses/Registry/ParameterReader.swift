/// Reads typed parameters out of a specification, with the defaults the registry entry declares, and
/// rejects the ones the entry does not declare.
struct ParameterReader {
    let specification: LossSpecification
    private let declared: [ParameterInfo]

    init(_ specification: LossSpecification, declared: [ParameterInfo]) {
        self.specification = specification
        self.declared = declared
    }

    /// The user's text for `key`, else the declared default.
    private func text(_ key: String) -> String {
        if let given = specification.parameters[key] { return given }
        guard let info = declared.first(where: { $0.name == key }) else {
            preconditionFailure("\(specification.name) reads parameter '\(key)', which its registry entry does not declare")
        }
        return info.defaultValue
    }

    func double(_ key: String) throws -> Double {
        let text = text(key)
        guard let parsed = Double(text), parsed.isFinite else { throw invalid(key, text, "a number") }
        return parsed
    }

    func bool(_ key: String) throws -> Bool {
        let text = text(key)
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw invalid(key, text, "true or false")
        }
    }

    func choice(_ key: String, among choices: [String]) throws -> String {
        let text = text(key)
        guard choices.contains(text) else { throw invalid(key, text, "one of \(choices.joined(separator: ", "))") }
        return text
    }

    /// The distance named by `distance` (lp, cosine, dot) with `normalize_embeddings`, `p` and `power`.
    func distance() throws -> any Distance {
        let kind = try choice("distance", among: ["lp", "cosine", "dot"])
        let normalizes = try bool("normalize_embeddings")
        let p = try double("p")
        // The declared power applies to the declared distance; another distance defaults to power 1.
        let defaultKind = declared.first { $0.name == "distance" }?.defaultValue
        let power = specification.parameters["power"] != nil || kind == defaultKind ? try double("power") : 1
        guard p > 0 else { throw invalid("p", String(p), "a positive number") }
        switch kind {
        case "lp": return LpDistance(normalizesEmbeddings: normalizes, p: p, power: power)
        case "cosine": return CosineSimilarity(power: power)
        default: return DotProductSimilarity(normalizesEmbeddings: normalizes, power: power)
        }
    }

    /// The reducer named by `reducer` (mean, avg_non_zero, sum).
    func reducer() throws -> any Reducer {
        switch try choice("reducer", among: ["mean", "avg_non_zero", "sum"]) {
        case "mean": return MeanReducer()
        case "sum": return SumReducer()
        default: return AvgNonZeroReducer()
        }
    }

    /// Throws when the specification holds a parameter the entry does not declare.
    func finish() throws {
        let known = declared.map(\.name)
        if let unknown = specification.parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw LossError(loss: specification.name, problem: "unknown parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    private func invalid(_ key: String, _ text: String, _ expected: String) -> LossError {
        LossError(loss: specification.name, problem: "parameter \(key)=\(text) is not \(expected)")
    }
}

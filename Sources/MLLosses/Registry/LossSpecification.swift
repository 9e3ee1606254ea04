import Foundation

/// A loss or miner chosen by name with parameters, as the CLI writes it: `name` or
/// `name:key=value,key=value` (e.g. `triplet:margin=0.1,distance=cosine`).
public struct LossSpecification: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let parameters: [String: String]

    public init(name: String, parameters: [String: String] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    /// Parses `name:key=value,…`; throws `LossError` naming the text when a parameter has no `=`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map { String($0) }
        let name = parts.first?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty else { throw LossError(loss: text, problem: "empty loss or miner name") }
        var parameters: [String: String] = [:]
        if parts.count == 2 {
            for item in parts[1].split(separator: ",") {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, !pair[0].isEmpty else {
                    throw LossError(loss: name, problem: "parameter '\(item)' in '\(text)' is not key=value")
                }
                parameters[pair[0]] = pair[1]
            }
        }
        self.init(name: name, parameters: parameters)
    }

    public var description: String {
        parameters.isEmpty ? name : name + ":" + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// Reads typed parameters out of a specification and rejects the ones nobody asked for.
struct ParameterReader {
    let specification: LossSpecification
    private var used: Set<String> = []

    init(_ specification: LossSpecification) { self.specification = specification }

    mutating func double(_ key: String, default value: Double) throws -> Double {
        used.insert(key)
        guard let text = specification.parameters[key] else { return value }
        guard let parsed = Double(text), parsed.isFinite else { throw invalid(key, text, "a number") }
        return parsed
    }

    mutating func int(_ key: String, default value: Int) throws -> Int {
        used.insert(key)
        guard let text = specification.parameters[key] else { return value }
        guard let parsed = Int(text) else { throw invalid(key, text, "an integer") }
        return parsed
    }

    mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        used.insert(key)
        guard let text = specification.parameters[key] else { return value }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw invalid(key, text, "true or false")
        }
    }

    mutating func choice(_ key: String, default value: String, among choices: [String]) throws -> String {
        used.insert(key)
        guard let text = specification.parameters[key] else { return value }
        guard choices.contains(text) else { throw invalid(key, text, "one of \(choices.joined(separator: ", "))") }
        return text
    }

    /// The distance named by `distance` (lp, cosine, dot) with `normalize_embeddings`, `p` and `power`.
    mutating func distance(default name: String, power defaultPower: Double = 1) throws -> any Distance {
        let kind = try choice("distance", default: name, among: ["lp", "cosine", "dot"])
        let normalizes = try bool("normalize_embeddings", default: true)
        let p = try double("p", default: 2)
        let power = try double("power", default: kind == name ? defaultPower : 1)
        guard p > 0 else { throw invalid("p", String(p), "a positive number") }
        switch kind {
        case "lp": return LpDistance(normalizesEmbeddings: normalizes, p: p, power: power)
        case "cosine": return CosineSimilarity(power: power)
        default: return DotProductSimilarity(normalizesEmbeddings: normalizes, power: power)
        }
    }

    /// The reducer named by `reducer` (mean, avg_non_zero, sum).
    mutating func reducer(default name: String) throws -> any Reducer {
        switch try choice("reducer", default: name, among: ["mean", "avg_non_zero", "sum"]) {
        case "mean": return MeanReducer()
        case "sum": return SumReducer()
        default: return AvgNonZeroReducer()
        }
    }

    /// Throws when the specification holds a parameter that was never read.
    func finish() throws {
        if let unknown = specification.parameters.keys.sorted().first(where: { !used.contains($0) }) {
            throw LossError(loss: specification.name, problem: "unknown parameter '\(unknown)' (known: \(used.sorted().joined(separator: ", ")))")
        }
    }

    private func invalid(_ key: String, _ text: String, _ expected: String) -> LossError {
        LossError(loss: specification.name, problem: "parameter \(key)=\(text) is not \(expected)")
    }
}

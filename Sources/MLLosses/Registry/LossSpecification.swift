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

/// One miner of the registry: its name, parameters and how to build it.
public struct MinerEntry: Sendable {
    /// The name in `--miner`.
    public let name: String
    /// One line saying what the miner selects.
    public let summary: String
    /// The parameters `name:key=value,…` accepts, with their defaults.
    public let parameters: [ParameterInfo]
    let build: @Sendable (inout ParameterReader) throws -> any Miner

    init(name: String, summary: String, parameters: [ParameterInfo],
         build: @escaping @Sendable (inout ParameterReader) throws -> any Miner) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.build = build
    }
}

import ArgumentParser

/// `dml index build|add|info`: gallery indexes for `dml serve` and `dml search --index`.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build, extend and describe gallery indexes (exact, HNSW or IVF-flat).",
        subcommands: [IndexBuild.self, IndexAdd.self, IndexInfo.self])
}

import ArgumentParser
import Foundation
import MetricLearning
import MLIndex

/// `dml index build`: embeds a gallery with a checkpoint's model and writes an index directory.
struct IndexBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Embed a gallery and write an index directory.")

    @OptionGroup var input: IndexInput
    @Option(help: "exact, hnsw or ivf.") var kind = "exact"
    @Option(help: "cosine, l2 or dot.") var distance = "cosine"
    @Option(help: "HNSW: links per node.") var m = HNSWParameters().m
    @Option(help: "HNSW: candidates while inserting.") var efConstruction = HNSWParameters().efConstruction
    @Option(help: "HNSW: candidates while searching.") var efSearch = HNSWParameters().efSearch
    @Option(help: "IVF: inverted lists (default √n).") var lists: Int?
    @Option(help: "IVF: lists scanned per query (default lists / 16, at least 8).") var probes: Int?
    @Option(help: "The index directory to create.") var out: String

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        guard let kind = IndexKind(rawValue: kind) else { throw ValidationError("--kind must be exact, hnsw or ivf") }
        guard let metric = SearchDistance(rawValue: distance) else { throw ValidationError("--distance must be cosine, l2 or dot") }
        let saved = try input.readCheckpoint()
        let started = Date()
        let items = try input.items(embeddedBy: saved)
        let embedded = Date()
        var ivf: IVFParameters?
        if lists != nil || probes != nil {
            let defaults = IVFParameters.defaults(count: items.count)
            ivf = IVFParameters(lists: lists ?? defaults.lists, probes: probes ?? min(lists ?? defaults.lists, defaults.probes))
        }
        let settings = GalleryIndex.Settings(kind: kind, distance: metric,
                                             hnsw: HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efSearch), ivf: ivf)
        let manifest = try GalleryIndex.create(at: URL(fileURLWithPath: out), settings: settings,
                                               model: ModelIdentity(saved), items: items, threads: input.buildThreads)
        print(String(format: "%d items of dimension %d, %d classes → %@ (%@; embedding %.1f s, structure %.1f s)",
                     manifest.count, manifest.dimension, manifest.classes.count, out, kind.rawValue,
                     embedded.timeIntervalSince(started), Date().timeIntervalSince(embedded)))
    }
}

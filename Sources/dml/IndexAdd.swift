import ArgumentParser
import Foundation
import MetricLearning
import MLIndex

/// `dml index add`: appends items to an index, refusing a checkpoint other than the index's model.
struct IndexAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Append items to an index (ids continue; the old index stays intact on failure).")

    @OptionGroup var input: IndexInput
    @Option(help: "The index directory.") var index: String

    func run() throws {
        OpenMPEnvironment.preferPassiveWaiting()
        let saved = try input.readCheckpoint()
        let identity = ModelIdentity(saved)
        let url = URL(fileURLWithPath: index)
        // Refuse a foreign checkpoint before spending time embedding.
        let differences = try GalleryIndex(contentsOf: url).manifest.model.differences(from: identity)
        guard differences.isEmpty else {
            throw IndexError(path: url.path, "the checkpoint is not the model that built this index: " + differences.joined(separator: "; "))
        }
        let items = try input.items(embeddedBy: saved)
        let manifest = try GalleryIndex.append(items, to: url, model: identity, threads: input.buildThreads)
        print("added \(items.count) items (ids \(manifest.count - items.count)–\(manifest.count - 1)); \(manifest.count) in all")
    }
}

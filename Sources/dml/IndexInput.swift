import ArgumentParser
import Foundation
import MetricLearning
import MLIndex

/// What `dml index build` and `dml index add` put into an index: a checkpoint and the items it embeds —
/// an image folder, a dataset split, or an embeddings file the same checkpoint made.
struct IndexInput: ParsableArguments {
    @Option(help: "The checkpoint whose model embeds the items (its identity is stored in the index).")
    var checkpoint: String
    @Option(help: "A folder of images, one subfolder per class (paths stay relative to it).")
    var images: String?
    @Option(help: "A dataset root (with --format; Fashion-MNIST defaults to Debian's).")
    var data: String?
    @Option(help: "The dataset's layout: \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String?
    @Option(help: "The split to index (default: 'all' when there is one, else 'test' or 'gallery').")
    var split: String?
    @Option(help: "An embeddings file written by dml embed with the same checkpoint.")
    var embeddings: String?
    @Option(help: "Data-loading threads (default: automatic).")
    var workers: Int?
    @Option(help: "Threads for building approximate structures (default: all cores).")
    var threads: Int?

    var buildThreads: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The checkpoint read.
    func readCheckpoint() throws -> Checkpoint { try Checkpoint.read(from: URL(fileURLWithPath: checkpoint)) }

    /// The items, embedded by `saved`'s model (or read from the embeddings file).
    func items(embeddedBy saved: Checkpoint) throws -> IndexItems {
        let given = [images != nil, data != nil || format != nil, embeddings != nil].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("give exactly one of --images DIR, --data PATH --format F, or --embeddings FILE")
        }
        if let embeddings {
            let url = URL(fileURLWithPath: embeddings)
            let read = try LabeledEmbeddings(contentsOf: url)
            let names = try EmbeddingsFile.classNames(in: url)
            return IndexItems(embeddings: read.values.scalars,
                              classNames: read.labels.map { names?[safe: $0] ?? "class \($0)" },
                              source: .vectors(file: url.standardizedFileURL.path, count: read.count))
        }
        let dataset: Dataset
        if let images {
            dataset = try Dataset.load(.folder, at: URL(fileURLWithPath: images).standardizedFileURL)
        } else {
            guard let name = format, let layout = DatasetFormat(rawValue: name) else {
                throw ValidationError("--format must be one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            dataset = try Dataset.load(layout, at: data.map { URL(fileURLWithPath: $0).standardizedFileURL })
        }
        let names = dataset.splits.map(\.name)
        let chosen = split ?? ["all", "gallery", "test"].first { names.contains($0) } ?? names[0]
        let gallery = try dataset.split(chosen)
        let values = try saved.makeEmbedder(workers: workers).embed(gallery).values.scalars
        let classNames = gallery.labels.map { gallery.className(of: $0) }
        let source: ItemSource
        switch gallery.source {
        case .files(let root, let paths), .preloaded(let root, let paths, _), .decoded(let root, let paths, _):
            source = .files(root: root.standardizedFileURL.path, paths: paths)
        case .grey:
            source = .dataset(format: dataset.format.rawValue, root: dataset.root.standardizedFileURL.path, split: chosen,
                              count: gallery.count)
        }
        return IndexItems(embeddings: values, classNames: classNames, source: source)
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

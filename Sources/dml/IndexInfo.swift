import ArgumentParser
import Foundation
import MLIndex

/// `dml index info`: what an index holds.
struct IndexInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe an index directory.")

    @Argument(help: "The index directory.") var index: String
    @Flag(help: "Print index.json instead.") var json = false

    func run() throws {
        let url = URL(fileURLWithPath: index)
        let opened = try GalleryIndex(contentsOf: url)
        let manifest = opened.manifest
        if json {
            print(String(decoding: try manifest.encoded(), as: UTF8.self))
            return
        }
        var parameters = ""
        if let hnsw = manifest.hnsw { parameters = " (m \(hnsw.m), ef_construction \(hnsw.efConstruction), ef_search \(hnsw.efSearch))" }
        if let ivf = manifest.ivf { parameters = " (\(ivf.lists) lists, \(ivf.probes) probes)" }
        print("\(url.path): \(manifest.kind.rawValue) index\(parameters), \(manifest.count) items of dimension \(manifest.dimension), \(manifest.distance.rawValue)")
        let model = manifest.model
        print("model: tensors CRC-32 \(model.checkpointCRC32), \(model.transforms) at \(model.imageSize) px, mean \(model.mean), std \(model.std)")
        var perClass = [Int](repeating: 0, count: manifest.classes.count)
        for label in opened.labels { perClass[label] += 1 }
        let classes = zip(manifest.classes, perClass).map { "\($0) (\($1))" }
        print("\(manifest.classes.count) classes: " + classes.prefix(20).joined(separator: ", ") + (classes.count > 20 ? ", …" : ""))
        var first = 0
        for source in manifest.sources {
            let ids = "ids \(first)–\(first + source.count - 1)"
            switch source.kind {
            case .files: print("\(ids): image files under \(source.root ?? "")")
            case .dataset: print("\(ids): \(source.format ?? "") \(source.split ?? "") split at \(source.root ?? "") (rendered from memory)")
            case .vectors: print("\(ids): vectors from \(source.file ?? "") (no images)")
            }
            first += source.count
        }
        let files = [manifest.itemsFile] + (manifest.kind == .exact ? [] : [manifest.annFile]) + ["index.json"]
        let sizes = files.map { name -> String in
            let bytes = (try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            return "\(name) \(String(format: "%.1f", Double(bytes) / 1e6)) MB"
        }
        print("files: " + sizes.joined(separator: ", "))
    }
}

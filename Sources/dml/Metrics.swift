import ArgumentParser
import Foundation
import MetricLearning

extension SearchDistance: ExpressibleByArgument {}

/// `dml metrics`: retrieval metrics of saved embeddings (DESIGN §5), as text or DESIGN §6 JSON.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recall@K, P@1, R-precision, MAP@R and NMI/AMI of saved embeddings.",
        discussion: """
            FILE is a safetensors file with 'embeddings' (n × d, F32) and 'labels' (n, I64 or I32), or a .npy \
            array whose labels come from --labels (and --gallery-labels). With --embeddings every item is a \
            query against all the others (leave-one-out); with --queries and --gallery, queries search the \
            gallery. NMI/AMI run by default up to 1,000 classes; --clustering asks for them above.
            """)

    @Option(name: .long, help: ArgumentHelp("Embeddings for leave-one-out retrieval.", valueName: "FILE"))
    var embeddings: String?

    @Option(name: .long, help: ArgumentHelp("Query embeddings (with --gallery).", valueName: "FILE"))
    var queries: String?

    @Option(name: .long, help: ArgumentHelp("Gallery embeddings (with --queries).", valueName: "FILE"))
    var gallery: String?

    @Option(name: .long, help: ArgumentHelp("Labels (.npy integers) of .npy embeddings or queries.", valueName: "FILE"))
    var labels: String?

    @Option(name: .customLong("gallery-labels"), help: ArgumentHelp("Labels of a .npy gallery.", valueName: "FILE"))
    var galleryLabels: String?

    @Option(name: .long, help: "Ranking: cosine, l2 or dot.")
    var distance: SearchDistance = .cosine

    @Option(name: .customLong("k"), help: "Comma-separated K of Recall@K.")
    var ks: String = "1,2,4,8,16,32"

    @Flag(inversion: .prefixedNo, help: "NMI/AMI by k-means (default: on up to 1,000 classes).")
    var clustering: Bool?

    @Flag(name: .customLong("per-class"), help: "Average each metric per class first (PML's avg_of_avgs).")
    var perClass = false

    @Option(name: .long, help: "Threads for the search (default: all cores).")
    var threads: Int?

    @Flag(name: .long, help: "Print DESIGN §6 JSON.")
    var json = false

    func validate() throws {
        guard (embeddings == nil) != (queries == nil && gallery == nil) else {
            throw ValidationError("give either --embeddings FILE or --queries FILE --gallery FILE")
        }
        guard embeddings != nil || (queries != nil && gallery != nil) else {
            throw ValidationError("--queries and --gallery go together")
        }
        _ = try recallKs()
    }

    func recallKs() throws -> [Int] {
        let values = ks.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--k must be a comma-separated list of positive integers, got '\(ks)'")
        }
        return values.compactMap { $0 }.sorted()
    }

    func run() throws {
        if let threads { Engine.threadCount = threads }
        let labelsURL = labels.map { URL(fileURLWithPath: $0) }
        let query = try LabeledEmbeddings(contentsOf: URL(fileURLWithPath: embeddings ?? queries ?? ""), labels: labelsURL)
        let galleryEmbeddings = try gallery.map {
            try LabeledEmbeddings(contentsOf: URL(fileURLWithPath: $0), labels: galleryLabels.map { URL(fileURLWithPath: $0) })
        }
        let classes = Set(query.labels).count
        let evaluation = RetrievalEvaluation(
            distance: distance, recallAt: try recallKs(), averagePerClass: perClass,
            clustering: (clustering ?? (classes <= 1000)) ? .standard(forClasses: classes) : nil)
        let metrics = try evaluation.run(query, against: galleryEmbeddings)
        if json {
            print(metrics.jsonText)
            return
        }
        let mode = galleryEmbeddings.map { "\(query.count) queries against \($0.count) gallery items" }
            ?? "leave-one-out over \(query.count) embeddings"
        print("\(mode), \(classes) classes, \(distance.rawValue)\(perClass ? ", per-class averages" : "")")
        for k in metrics.recallAtK.keys.sorted() { print(String(format: "Recall@%-5d %.4f", k, metrics.recallAtK[k] ?? 0)) }
        let others: [(String, Double?)] = [
            ("P@1", metrics.precisionAt1), ("R-precision", metrics.rPrecision),
            ("MAP@R", metrics.meanAveragePrecisionAtR), ("NMI", metrics.nmi), ("AMI", metrics.ami),
        ]
        for case let (name, value?) in others { print(name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%.4f", value)) }
    }
}

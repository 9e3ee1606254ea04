import ArgumentParser
import MetricLearning

/// `dml info`: versions and the thread count the engine will use.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the library versions and thread count.")

    func run() throws {
        print("oneDNN \(Engine.libraryVersion), \(Engine.threadCount) OpenMP threads")
    }
}

import ArgumentParser

/// `dml bench …`: throughput benchmarks, printed beside the reference implementation when one is installed.
/// Build with `-c release` before quoting figures.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark the engine, losses, nearest-neighbour search, data pipeline, ONNX export, indexes and the service.",
        subcommands: [
            BenchLayers.self,
            BenchModel.self,
            BenchData.self,
            BenchLoader.self,
            BenchLosses.self,
            BenchKNN.self,
            BenchExport.self,
            BenchIndex.self,
            BenchServe.self,
            BenchAllreduce.self,
        ]
    )
}

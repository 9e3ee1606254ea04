import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

/// `dml bench allreduce`: the gradient averaging of data-parallel training alone, without the model's
/// compute: the gradients of a ResNet (with torchvision's 1000-class `fc`, 25.6 M floats for ResNet-50)
/// summed over the ranks of an `mpirun` job, as one blocking `MPI_Allreduce` and as the training step's
/// buckets (`GradientBucketer`, every bucket started at once). Rank 0 prints.
struct BenchAllreduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allreduce",
        abstract: "Time the gradient allreduce of a ResNet over the ranks of an mpirun job (run under mpirun)."
    )

    @Option(help: "Architecture whose gradients are averaged: \(ResNet.Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch = "resnet50"
    @Option(help: "Classes of the classifier counted with the backbone (torchvision's fc).")
    var classes = 1000
    @Option(help: "Bucket size in MiB (the training step's default: 25, as PyTorch DDP).")
    var bucketMib = 25
    @Option(help: "What progresses the bucketed allreduces: thread or layers.")
    var progress = "thread"
    @Option(help: "Timed repetitions (after one warm-up).")
    var steps = 10
    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        guard bucketMib > 0 else { throw ValidationError("--bucket-mib must be positive, got \(bucketMib)") }
        guard classes > 0 else { throw ValidationError("--classes must be positive, got \(classes)") }
        guard ["thread", "layers"].contains(progress) else { throw ValidationError("--progress: thread or layers, got \(progress)") }
        do { _ = try ResNet.Architecture(name: arch) } catch { throw ValidationError("--arch: \(error)") }
    }

    func run() throws {
        try ParallelRun.run { world in
            guard let world else {
                throw ValidationError("dml bench allreduce measures a collective: start it with mpirun -np N (N ≥ 2)")
            }
            let model = ResNet(try ResNet.Architecture(name: arch), classCount: classes, seed: nil)
            let parameters = model.trainableParameters.map(\.parameter)
            for parameter in parameters {
                parameter.gradient = Tensor(shape: parameter.value.shape, repeating: Float(world.rank + 1))
            }
            let floats = parameters.map(\.value.count).reduce(0, +)
            // One blocking allreduce of all the gradients, as one flat buffer.
            var flat = [Float](repeating: 1, count: floats)
            let blocking = try seconds {
                try world.allReduce(&flat, .sum)
            }
            // The training step's buckets, all started in `reduce`.
            let bucketer = try GradientBucketer(parameters: parameters, communicator: world, bucketBytes: bucketMib << 20,
                                                driver: progress == "layers" ? .betweenLayers : .default)
            let bucketed = try seconds { _ = try bucketer.reduce() }
            let expected = Float(world.size + 1) / 2
            guard let value = parameters.first?.gradient?.scalars.first, abs(value - expected) < 1e-3 else {
                throw ValidationError("the bucketed allreduce averaged to \(parameters.first?.gradient?.scalars.first ?? .nan), not \(expected)")
            }
            guard world.isRoot else { return }
            let bytes = Double(floats * MemoryLayout<Float>.size)
            // Bus bandwidth as NCCL's tests define it: the bytes each rank sends and receives in a ring.
            let busFactor = 2 * Double(world.size - 1) / Double(world.size)
            let report: [String: Any] = [
                "arch": arch, "floats": floats, "world_size": world.size, "bucket_mib": bucketMib,
                "buckets": bucketer.bucketCount, "progress": progress,
                "blocking_seconds": blocking, "bucketed_seconds": bucketed,
                "blocking_bus_gigabytes_per_second": bytes * busFactor / blocking / 1e9,
                "bucketed_bus_gigabytes_per_second": bytes * busFactor / bucketed / 1e9,
            ]
            if json {
                print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
            } else {
                print("\(arch): \(floats) floats (\(String(format: "%.1f", bytes / 1_048_576)) MiB) over \(world.size) ranks")
                print(String(format: "one MPI_Allreduce: %.1f ms (bus %.2f GB/s)", blocking * 1e3,
                             report["blocking_bus_gigabytes_per_second"] as? Double ?? 0))
                print(String(format: "%d buckets of ≤ %d MiB (%@): %.1f ms (bus %.2f GB/s)", bucketer.bucketCount, bucketMib,
                             progress, bucketed * 1e3, report["bucketed_bus_gigabytes_per_second"] as? Double ?? 0))
            }
        }
    }

    /// The mean seconds of `steps` calls of `body` after one warm-up call.
    private func seconds(_ body: () throws -> Void) throws -> Double {
        try body()
        let elapsed = try ContinuousClock().measure { for _ in 0..<steps { try body() } }
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(steps)
    }
}

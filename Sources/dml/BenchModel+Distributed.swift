import ArgumentParser
import Foundation
import MetricLearning
import MLDistributed

extension BenchModel {
    /// Under mpirun: the global batch split over the ranks, gradients averaged by the bucketer (fp32 only).
    func run(world: Communicator?) throws {
        guard precision == .fp32 else {
            throw ValidationError("--precision bf16 is measured in one process: run bench model without mpirun")
        }
        let (ranks, rank) = (world?.size ?? 1, world?.rank ?? 0)
        guard batch % ranks == 0 else {
            throw ValidationError("--batch \(batch) is the global batch: it must be divisible by the \(ranks) processes")
        }
        guard comparePytorch == nil else {
            throw ValidationError("--compare-pytorch runs in a plain process: measure PyTorch without mpirun")
        }
        let localBatch = batch / ranks
        if let threads { Engine.threadCount = threads }
        Engine.useWinograd = winograd == .on
        // torchvision's resnet(num_classes=100) = the backbone + `fc`; here `fc` is the loss's classifier
        // (same shapes, torchvision's default init), and the loss is the smoothed cross-entropy on it.
        let classCount = 100
        let model = ResNet(try ResNet.Architecture(name: arch), classCount: nil)
        let loss = try SmoothCrossEntropyLoss(classes: classCount, embeddingSize: model.featureCount, smoothing: 0.1)
        var generator = SeededGenerator(seed: 1)
        let bound = 1 / Double(model.featureCount).squareRoot()
        loss.weight.value = generator.tensor(loss.weight.value.shape, scale: bound)
        loss.bias.value = generator.tensor(loss.bias.value.shape, scale: bound)
        generator = generator.substream(UInt64(rank))
        let x = Tensor(shape: [localBatch, 3, size, size],
                       values: (0..<(localBatch * 3 * size * size)).map { _ in Float(generator.nextUnit()) })
        let labels = (0..<localBatch).map { _ in Int(generator.next() % UInt64(classCount)) }
        let parameters = model.trainableParameters + loss.namedParameters.map { ("fc." + $0.name, $0.parameter) }
        let optimizer = try SGD(groups: [.init(parameters: parameters, weightDecay: 5e-4)],
                                learningRate: 0.01, momentum: 0.9, nesterov: true)
        let bucketer = try world.map {
            try GradientBucketer(parameters: parameters.map(\.parameter), communicator: $0, bucketBytes: bucketMib << 20,
                                 driver: progress == "layers" ? .betweenLayers : .default)
        }
        var timings: [GradientBucketer.Timing] = []

        func trainStep() throws {
            optimizer.zeroGradients()
            let features = try model.forward(x, training: true)
            let gradient = try loss.evaluate(features, labels: labels, training: true).gradient
            guard let bucketer else {
                _ = model.backward(gradient, needsInputGradient: false)
                optimizer.step()
                return
            }
            bucketer.gradientsReady(loss.namedParameters.map(\.parameter))
            GradientObservation.$observer.withValue(bucketer) { _ = model.backward(gradient, needsInputGradient: false) }
            _ = try bucketer.reduce()
            timings.append(bucketer.lastTiming)
            optimizer.step()
        }
        // Inference: features, then the classifier's logits.
        func inferenceStep() throws {
            _ = try loss.evaluate(model.forward(x, training: false), labels: labels, training: false)
        }
        let train = try imagesPerSecond(trainStep, world: world)
        let inference = try imagesPerSecond(inferenceStep, world: world)
        guard rank == 0 else { return }

        var report: [String: Any] = [
            "arch": arch, "batch": batch, "size": size, "winograd": winograd == .on, "threads": Engine.threadCount,
            "train_images_per_second": train, "inference_images_per_second": inference,
            "peak_rss_bytes": peakResidentBytes(), "world_size": ranks,
        ]
        if let bucketer {
            report["allreduce"] = Self.allreduceReport(timings.suffix(steps), buckets: bucketer.bucketCount,
                                                       bucketMib: bucketMib, progress: progress)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            printDistributedTable(report)
        }
    }

    /// Images per second of all ranks together over `steps` calls of `body` after one warm-up call: the
    /// global batch per call over the slowest rank's time.
    private func imagesPerSecond(_ body: () throws -> Void, world: Communicator?) throws -> Double {
        try body()
        let clock = ContinuousClock()
        let elapsed = try clock.measure { for _ in 0..<steps { try body() } }
        let own = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let seconds = try world?.allReduce([own], .maximum)[0] ?? own
        return Double(batch * steps) / seconds
    }

    /// The mean allreduce figures per timed step (seconds): from the first bucket's start to the last
    /// completion, the part the backward did not hide, the copies in and out of the buckets.
    private static func allreduceReport(_ timings: some Collection<GradientBucketer.Timing>, buckets: Int, bucketMib: Int,
                                        progress: String) -> [String: Any] {
        func mean(_ value: (GradientBucketer.Timing) -> Duration) -> Double {
            timings.map { value($0) / .seconds(1) }.reduce(0, +) / Double(max(timings.count, 1))
        }
        return ["seconds_per_step": mean(\.communication), "exposed_seconds_per_step": mean(\.exposed),
                "copy_seconds_per_step": mean(\.copying), "buckets": buckets, "bucket_mib": bucketMib, "progress": progress]
    }


    private func printDistributedTable(_ report: [String: Any]) {
        let ratio = report["ratio"] as? [String: Double]
        let pytorch = report["pytorch"] as? [String: Any]
        let ranks = report["world_size"] as? Int ?? 1
        print("\(arch) batch \(batch) size \(size), winograd \(winograd.rawValue), \(Engine.threadCount) threads"
              + (ranks > 1 ? " per rank, \(ranks) ranks" : ""))
        for (label, key, ratioKey) in [("train", "train_images_per_second", "train"),
                                       ("inference", "inference_images_per_second", "inference")] {
            var line = "\(label): " + String(format: "%.2f img/s", report[key] as? Double ?? 0)
            if let theirs = pytorch?[key] as? Double, let ratio = ratio?[ratioKey] {
                line += String(format: "  (PyTorch %.2f img/s, ratio %.2f×)", theirs, ratio)
            }
            print(line)
        }
        if let allreduce = report["allreduce"] as? [String: Any] {
            let (total, exposed) = (allreduce["seconds_per_step"] as? Double ?? 0, allreduce["exposed_seconds_per_step"] as? Double ?? 0)
            print(String(format: "allreduce per step: %.1f ms, %.1f ms of it after the backward (%.0f%% hidden), copies %.1f ms; %d buckets",
                         total * 1e3, exposed * 1e3, total > 0 ? 100 * (1 - exposed / total) : 0,
                         (allreduce["copy_seconds_per_step"] as? Double ?? 0) * 1e3, allreduce["buckets"] as? Int ?? 0))
        }
        print("peak RSS: \((report["peak_rss_bytes"] as? Int ?? 0) >> 20) MiB" + (ranks > 1 ? " (rank 0)" : ""))
    }
}

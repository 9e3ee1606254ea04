import ArgumentParser
import Foundation
import MetricLearning

/// `dml bench layers`: forward and backward of single layers through the Layer API, at the shapes of
/// ResNet-50 convolutions (A–G, listed in `convolutions`; A, C, F, G are all the 3×3 stride-1 shapes, the
/// ones Winograd may take), with activations in the blocked layout (and the element type) the previous
/// convolution leaves them in, plus batch norm and ReLU at layer A's output.
struct BenchLayers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "Time Conv2d (ResNet-50 layers A–E), BatchNorm2d and ReLU forward and backward.")

    @Option(help: "Batch size.") var batch = 32
    @Option(help: "Timed repetitions per pass (the median is reported).") var repetitions = 5
    @Option(help: "OpenMP threads for oneDNN (default: OpenMP's choice).") var threads: Int?
    @Option(help: "Which of the layers A–G, BN, ReLU to run, e.g. \"AC\" or \"A,BN\".") var layers = "ABCDE,BN,ReLU"
    @Flag(help: "Let 3×3 stride-1 convolutions use convolution_auto (Winograd).") var winograd = false
    @Option(help: "Element type of the activations: fp32 or bf16.") var precision: Precision = .fp32
    @Flag(help: "Print JSON instead of a table.") var json = false

    /// name, input channels, output channels, size, kernel, stride, padding: a 3×3 and a 1×1 convolution of
    /// layer1, a 3×3 and a 1×1 of layer3, and the 7×7 stem.
    private static let convolutions: [(String, Int, Int, Int, Int, Int, Int)] = [
        ("A", 64, 64, 56, 3, 1, 1), ("B", 256, 64, 56, 1, 1, 0), ("C", 256, 256, 14, 3, 1, 1),
        ("D", 1024, 256, 14, 1, 1, 0), ("E", 3, 64, 224, 7, 2, 3), ("F", 128, 128, 28, 3, 1, 1),
        ("G", 512, 512, 7, 3, 1, 1),
    ]

    struct Result: Encodable {
        let name: String
        let inputShape: [Int]
        let forwardMilliseconds: Double
        let backwardMilliseconds: Double
        let forwardGflops: Double?
        let backwardGflops: Double?

        enum CodingKeys: String, CodingKey {
            case name, inputShape = "input_shape", forwardMilliseconds = "forward_ms"
            case backwardMilliseconds = "backward_ms", forwardGflops = "forward_gflops", backwardGflops = "backward_gflops"
        }
    }

    struct Report: Encodable {
        let batch: Int
        let threads: Int
        let winograd: Bool
        let precision: String
        let layers: [Result]
    }

    mutating func validate() throws {
        guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
        guard repetitions > 0 else { throw ValidationError("--repetitions must be positive, got \(repetitions)") }
    }

    func run() throws {
        try precision.checkSupported()
        if let threads { Engine.threadCount = threads }
        Engine.useWinograd = winograd
        let wanted = Set(layers.split(separator: ",").flatMap { $0 == "BN" || $0 == "ReLU" ? [String($0)] : $0.map(String.init) })
        var generator = SeededGenerator(seed: 1)
        var results: [Result] = []
        for (name, inChannels, outChannels, size, kernel, stride, padding) in Self.convolutions where wanted.contains(name) {
            let conv = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernel, stride: stride,
                              padding: padding)
            conv.weight.value = generator.tensor(conv.weight.value.shape, scale: 0.05)
            let x = try blocked(generator.tensor([batch, inChannels, size, size]))
            let flops = 2.0 * Double(batch * outChannels * inChannels * kernel * kernel)
                * Double(((size + 2 * padding - kernel) / stride + 1) * ((size + 2 * padding - kernel) / stride + 1))
            results.append(try time(conv, name: "conv \(name)", input: x, flops: flops))
        }
        let activation = try blocked(generator.tensor([batch, 64, 56, 56]))
        if wanted.contains("BN") {
            results.append(try time(BatchNorm2d(features: 64), name: "batchnorm (train) 64×56²", input: activation, flops: nil))
            let frozen = BatchNorm2d(features: 64)
            frozen.isFrozen = true
            results.append(try time(frozen, name: "batchnorm (frozen) 64×56²", input: activation, flops: nil))
        }
        if wanted.contains("ReLU") {
            results.append(try time(ReLU(), name: "relu 64×56²", input: activation, flops: nil))
        }
        let report = Report(batch: batch, threads: Engine.threadCount, winograd: winograd, precision: precision.rawValue,
                            layers: results)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("oneDNN \(Engine.libraryVersion), \(report.threads) threads, batch \(batch), winograd \(winograd), \(precision.rawValue)")
            for r in results {
                let gflops = r.forwardGflops.map { String(format: "  %6.1f / %6.1f GFLOP/s", $0, r.backwardGflops ?? 0) } ?? ""
                print(r.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: " forward %8.2f ms  backward %8.2f ms", r.forwardMilliseconds, r.backwardMilliseconds)
                    + gflops)
            }
        }
    }

    /// `x` in the layout a convolution leaves activations in (1×1 convolution of as many channels), or
    /// plain when a convolution would not block it (the 3-channel image batch).
    private func blocked(_ x: Tensor) throws -> Tensor {
        let channels = x.shape[1]
        let input = x.converted(to: precision.activationType)
        guard channels >= 16 else { return input }
        return try Conv2d(inChannels: channels, outChannels: channels, kernelSize: 1).forward(input, training: true)
    }

    /// Median forward and backward (input gradient included) times of `layer` on `input`, after one warm-up.
    private func time(_ layer: any Layer, name: String, input: Tensor, flops: Double?) throws -> Result {
        var forward: [Double] = [], backward: [Double] = []
        var dy: Tensor?
        for repetition in 0...repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            let y = try layer.forward(input, training: true)
            let middle = DispatchTime.now().uptimeNanoseconds
            _ = layer.backward(dy ?? y, needsInputGradient: true)
            let end = DispatchTime.now().uptimeNanoseconds
            dy = y
            guard repetition > 0 else { continue }
            forward.append(Double(middle - start) / 1e6)
            backward.append(Double(end - middle) / 1e6)
        }
        let f = forward.sorted()[forward.count / 2], b = backward.sorted()[backward.count / 2]
        return Result(name: name, inputShape: input.shape, forwardMilliseconds: f, backwardMilliseconds: b,
                      forwardGflops: flops.map { $0 / f / 1e6 }, backwardGflops: flops.map { 2 * $0 / b / 1e6 })
    }
}

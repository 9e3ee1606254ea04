import Foundation
@testable import MLEngine
@testable import MLModels
import Testing

/// Records, for each reported layer, its parameters and a copy of their gradients at the time of the report.
private final class GradientRecorder: GradientObserver, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var reports: [(layer: ObjectIdentifier, gradients: [(Parameter, [Float])])] = []

    func backwardFinished(_ layer: any Layer) {
        let gradients = layer.trainableParameters.map { ($0.parameter, $0.parameter.gradient?.scalars ?? []) }
        lock.withLock { reports.append((ObjectIdentifier(layer), gradients)) }
    }
}

@Suite struct GradientObserverTests {
    /// ResNet-18 with a remap neck on a small batch: one training forward.
    func makeModel() throws -> (EmbeddingModel, Tensor) {
        let model = try EmbeddingModel(.init(arch: .resnet18, featureNorm: .batch, remap: 16), seed: 3)
        var generator = SeededGenerator(seed: 4)
        let x = Tensor(shape: [2, 3, 32, 32], values: (0..<(2 * 3 * 32 * 32)).map { _ in Float(generator.nextUnit()) })
        _ = try model.forward(x, training: true)
        return (model, generator.tensor([2, 16]))
    }

    @Test func everyParameterIsReportedWithItsFinalGradientLastLayerFirst() throws {
        let (model, dy) = try makeModel()
        let recorder = GradientRecorder()
        GradientObservation.$observer.withValue(recorder) {
            _ = model.backward(dy, needsInputGradient: false)
        }
        // The first report of each parameter: its gradient then equals the gradient after the whole backward.
        var firstReport: [ObjectIdentifier: (order: Int, gradient: [Float])] = [:]
        for (order, report) in recorder.reports.enumerated() {
            for (parameter, gradient) in report.gradients where firstReport[ObjectIdentifier(parameter)] == nil {
                firstReport[ObjectIdentifier(parameter)] = (order, gradient)
            }
        }
        let parameters = model.trainableParameters
        for (name, parameter) in parameters {
            let report = try #require(firstReport[ObjectIdentifier(parameter)], "\(name) was never reported")
            #expect(report.gradient == parameter.gradient?.scalars, "\(name) changed after it was reported")
        }
        // Backward order: the neck's remap before the last stage, the stem's convolution last of all.
        let order = { (name: String) in firstReport[ObjectIdentifier(parameters.first { $0.name == name }!.parameter)]!.order }
        #expect(order("neck.remap.weight") < order("layer4.1.conv2.weight"))
        #expect(order("layer4.1.conv2.weight") < order("layer4.0.conv1.weight"))
        #expect(order("layer1.0.conv1.weight") < order("conv1.weight"))
        #expect(recorder.reports.count > parameters.count / 2, "reports come layer by layer, not once at the end")
    }

    @Test func withoutAnObserverNothingIsReported() throws {
        let (model, dy) = try makeModel()
        let recorder = GradientRecorder()
        GradientObservation.$observer.withValue(recorder) {}
        _ = model.backward(dy, needsInputGradient: false)
        #expect(recorder.reports.isEmpty)
    }
}

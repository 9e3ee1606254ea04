import Foundation
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

/// Shared checks for the layer tests: fixture parity under DESIGN §2's tolerance rule, finite differences,
/// and the seeded draws the reference script (`tools/reference/layers.py`) makes.
enum LayerChecks {
    /// Floors of the tolerance rule: outputs and gradients.
    static let outputFloor = 1e-5
    static let gradientFloor = 1e-4

    /// `count` draws uniform in [-scale, scale) rounded to Float, plus `offset` in Float (as `draw` in layers.py).
    static func draw(_ generator: inout SeededGenerator, _ shape: [Int], scale: Double, offset: Float = 0) -> Tensor {
        Tensor(shape: shape, values: generator.uniform(count: shape.reduce(1, *), scale: scale).map { $0 + offset })
    }

    /// Expects `got` to match the fixture tensor `name` within max(floor, 3 × PyTorch's float32 error), or
    /// with `bf16` within the bf16 rule (3 × PyTorch autocast's error, `BFloat16Errors.tolerance`).
    static func expectMatch(
        _ got: Tensor, _ fixture: FixtureFile, _ name: String, floor: Double, bf16: BFloat16Errors? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let reference = fixture[name]
        #expect(got.shape == reference.shape, "\(name): shape \(got.shape), reference \(reference.shape)",
                sourceLocation: sourceLocation)
        guard got.shape == reference.shape else { return }
        let errors = fixture.meta["fp32_error"] as? [String: Double]
        let fp32Tolerance = max(floor, 3 * (errors?[name] ?? 0))
        let tolerance = bf16?.tolerance(name, of: fixture.name, fp32Tolerance: fp32Tolerance) ?? fp32Tolerance
        let values = got.scalars
        let error = relativeError(values, reference.values)
        #expect(error <= tolerance,
                "\(name): relative error \(error) > \(tolerance); \(worstMismatch(values, reference.values))",
                sourceLocation: sourceLocation)
    }

    /// The integer parameter `key` of fixture case `name`.
    static func parameter(_ fixture: FixtureFile, _ name: String, _ key: String) -> Int {
        let cases = fixture.meta["cases"] as? [String: [String: Any]]
        guard let value = cases?[name]?[key] as? Int else { fatalError("fixture case \(name) has no integer \(key)") }
        return value
    }

    /// Σ a·b in float64 over the logical values.
    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// a + t·b (plain).
    static func axpy(_ a: Tensor, _ t: Float, _ b: Tensor) -> Tensor {
        Tensor(shape: a.shape, values: zip(a.scalars, b.scalars).map { $0 + t * $1 })
    }

    /// Checks `layer`'s backward against central differences (DESIGN §2): for L = ⟨w, layer(x)⟩ with a
    /// random w, the derivative along a random direction v of the input and of every trainable parameter,
    /// step `relativeStep` × the tensor's largest magnitude, within `tolerance` relative error.
    static func expectFiniteDifferences(
        _ layer: any Layer, input x: Tensor, training: Bool = true, seed: UInt64,
        relativeStep: Float = 1e-2, tolerance: Double = 1e-2, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var generator = SeededGenerator(seed: seed)
        let y = try layer.forward(x, training: training)
        let w = generator.tensor(y.shape)
        layer.zeroGradients()
        let dx = try #require(layer.backward(w, needsInputGradient: true))
        let loss = { (input: Tensor) throws -> Double in dot(w, try layer.forward(input, training: training)) }

        func check(_ what: String, analytic: Double, numeric: Double) {
            let scale = max(abs(analytic), abs(numeric), 1e-3)
            #expect(abs(analytic - numeric) <= tolerance * scale,
                    "\(what): backward gives \(analytic), finite differences \(numeric)", sourceLocation: sourceLocation)
        }

        let v = generator.tensor(x.shape)
        let h = relativeStep * (x.scalars.map(abs).max() ?? 1)
        let numeric = (try loss(axpy(x, h, v)) - loss(axpy(x, -h, v))) / (2 * Double(h))
        check("input", analytic: dot(dx, v), numeric: numeric)

        for (name, parameter) in layer.trainableParameters {
            guard let gradient = parameter.gradient else { continue }
            let original = parameter.value
            let direction = generator.tensor(original.shape)
            let step = relativeStep * max(original.scalars.map(abs).max() ?? 1, 1e-1)
            parameter.value = axpy(original, step, direction)
            let plus = try loss(x)
            parameter.value = axpy(original, -step, direction)
            let minus = try loss(x)
            parameter.value = original
            check(name, analytic: dot(gradient, direction), numeric: (plus - minus) / (2 * Double(step)))
        }
    }

    /// Expects `body` to throw a `LayerError` whose message names `layer` and both shapes.
    static func expectShapeError(
        layer: String, expected: String, actual: [Int], sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("\(layer): no error for input of shape \(actual)", sourceLocation: sourceLocation)
        } catch {
            let message = "\(error)"
            for part in [layer, expected, "\(actual)"] {
                #expect(message.contains(part), "error message \"\(message)\" lacks \"\(part)\"",
                        sourceLocation: sourceLocation)
            }
        }
    }
}

extension LayerChecks {
    /// Batch-norm modes of the fixture cases: "train", "frozen", "eval".
    struct BatchNormCase {
        let x: Tensor
        let dy: Tensor
        let mode: String
        /// The `training` argument for forward: false only in "eval".
        var training: Bool { mode != "eval" }
        /// Whether the layer is frozen.
        var frozen: Bool { mode == "frozen" }
    }

    /// Draws a `layers_batchnorm.json` case as layers.py does, setting the layer's parameters, buffers and
    /// frozen mode.
    static func batchNormCase(_ fixture: FixtureFile, _ name: String, layer: some BatchNormUnderTest) -> BatchNormCase {
        let cases = fixture.meta["cases"] as? [String: [String: Any]]
        guard let shape = cases?[name]?["shape"] as? [Int], let mode = cases?[name]?["mode"] as? String else {
            fatalError("fixture has no batch-norm case \(name)")
        }
        let channels = shape[1]
        var generator = SeededGenerator(seed: UInt64(parameter(fixture, name, "seed")))
        let x = draw(&generator, shape, scale: 2, offset: 0.5)
        if case let (weight, bias)? = layer.affine {
            weight.value = draw(&generator, [channels], scale: 0.5, offset: 1)
            bias.value = draw(&generator, [channels], scale: 0.5)
        }
        layer.runningMean.value = draw(&generator, [channels], scale: 0.5)
        layer.runningVar.value = draw(&generator, [channels], scale: 0.5, offset: 1)
        let dy = draw(&generator, shape, scale: 1)
        let item = BatchNormCase(x: x, dy: dy, mode: mode)
        layer.isFrozen = item.frozen
        return item
    }

    /// Runs forward and backward on a batch-norm layer for `name` and compares everything with the fixture.
    /// An inference-mode forward keeps nothing for backward, so "eval" cases take their gradients from a
    /// frozen forward, which PyTorch's eval-mode gradients must equal. With `bf16`, the input is converted to
    /// bfloat16 first (a bf16 batch norm, as after a bf16 convolution) and the bf16 tolerances apply.
    static func expectBatchNormMatches(
        _ layer: some BatchNormUnderTest, _ item: BatchNormCase, _ fixture: FixtureFile, _ name: String,
        bf16: BFloat16Errors? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let x = bf16 == nil ? item.x : item.x.converted(to: .bfloat16)
        func expect(_ got: Tensor, _ tensor: String, floor: Double) {
            expectMatch(got, fixture, "\(name).\(tensor)", floor: floor, bf16: bf16, sourceLocation: sourceLocation)
        }
        let y = try layer.forward(x, training: item.training)
        #expect(y.dataType == x.dataType, sourceLocation: sourceLocation)
        expect(y, "y", floor: outputFloor)
        expect(layer.runningMean.value, "running_mean", floor: outputFloor)
        expect(layer.runningVar.value, "running_var", floor: outputFloor)
        if !item.training {
            layer.isFrozen = true
            _ = try layer.forward(x, training: true)
        }
        let dx = try #require(layer.backward(item.dy, needsInputGradient: true))
        expect(dx, "dx", floor: gradientFloor)
        if case let (weight, bias)? = layer.affine {
            expect(try #require(weight.gradient), "dweight", floor: gradientFloor)
            expect(try #require(bias.gradient), "dbias", floor: gradientFloor)
        }
    }
}

/// BatchNorm1d and BatchNorm2d as the batch-norm checks use them.
protocol BatchNormUnderTest: Layer {
    /// γ and β, or nil without affine.
    var affine: (weight: Parameter, bias: Parameter)? { get }
    var runningMean: Parameter { get }
    var runningVar: Parameter { get }
    var isFrozen: Bool { get set }
}

extension BatchNorm1d: BatchNormUnderTest {
    var affine: (weight: Parameter, bias: Parameter)? { weight.flatMap { weight in bias.map { (weight, $0) } } }
}

extension BatchNorm2d: BatchNormUnderTest {
    var affine: (weight: Parameter, bias: Parameter)? { (weight, bias) }
}

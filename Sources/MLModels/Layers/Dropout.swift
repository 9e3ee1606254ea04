import MLEngine

/// Inverted dropout as PyTorch's `nn.Dropout`: in training each element is zeroed with `probability` and
/// the rest scaled by 1 / (1 − probability); at inference the input passes through.
///
/// The mask comes from a `SeededGenerator` (one draw per element, dropped when the draw is below
/// `probability`); `generatorPosition` lets a checkpoint resume the stream. Parity tests inject a
/// `fixedMask` instead, since PyTorch's mask comes from its own generator.
public final class Dropout: Layer {
    /// The chance of zeroing an element.
    public let probability: Double
    private var generator: SeededGenerator
    /// A mask (0 or 1 per element) to use instead of drawing one; for tests against other frameworks.
    public var fixedMask: [Float]?
    /// The scaled mask of the last training forward (0 or 1 / (1 − p)), nil after an inference forward.
    private(set) var lastMask: [Float]?

    /// Dropout with `probability` in [0, 1], masks drawn from `seed`'s stream.
    public init(probability: Double, seed: UInt64) {
        precondition((0...1).contains(probability), "dropout probability \(probability) is outside [0, 1]")
        self.probability = probability
        generator = SeededGenerator(seed: seed)
    }

    /// Draws taken from the mask generator so far; set it to resume from a checkpoint.
    public var generatorPosition: UInt64 {
        get { generator.position }
        set { generator = SeededGenerator(seed: generator.seed, position: newValue) }
    }

    /// How many numbers the training mask of `count` elements takes from the stream: one per element,
    /// none with a fixed mask or when the probability is 0 or 1 (nothing random to draw).
    public func draws(count: Int) -> Int {
        fixedMask == nil && probability > 0 && probability < 1 ? count : 0
    }

    /// The scaled mask for `count` elements in training mode, or nil when nothing is dropped.
    package func drawMask(count: Int) -> [Float]? {
        if let fixedMask {
            precondition(fixedMask.count == count, "fixed dropout mask has \(fixedMask.count) elements, input has \(count)")
            let scale = probability < 1 ? Float(1 / (1 - probability)) : 0
            return fixedMask.map { $0 * scale }
        }
        guard probability > 0 else { return nil }
        if probability == 1 { return Array(repeating: 0, count: count) }
        let scale = Float(1 / (1 - probability))
        return (0..<count).map { _ in generator.nextUnit() < probability ? 0 : scale }
    }

    public func forward(_ x: Tensor, training: Bool) throws -> Tensor {
        lastMask = training ? drawMask(count: x.count) : nil
        guard let mask = lastMask else { return x }
        var y = x.plain()
        y.withUnsafeMutableStorage { values in
            for i in 0..<mask.count { values[i] *= mask[i] }
        }
        return y
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard let mask = lastMask else { return dy }
        var dx = dy.plain()
        dx.withUnsafeMutableStorage { values in
            for i in 0..<mask.count { values[i] *= mask[i] }
        }
        return dx
    }

    public var namedParameters: [(name: String, parameter: Parameter)] { [] }
}

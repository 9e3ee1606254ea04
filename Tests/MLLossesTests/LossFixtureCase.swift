@testable import MLEngine
@testable import MLLosses
import TestSupport

/// One case of `Tests/Fixtures/losses.json` (tools/reference/losses.py): how to rebuild its inputs and the
/// loss or miner, and the reference outputs.
struct LossFixtureCase: CustomStringConvertible, Sendable {
    let name: String
    let spec: String
    let miner: String?
    let n: Int, d: Int, classes: Int
    let labels: [Int]
    let seed: UInt64
    let scale: Double
    let embeddingsKind: String
    let parameters: [(name: String, shape: [Int], scale: Double)]
    let dropoutMask: Bool
    let compareGradient: Bool

    var description: String { "\(name) [\(spec)\(miner.map { " + " + $0 } ?? "")]" }

    /// The fixture, read once. A missing or unreadable file is an error each parameterised test reports
    /// when its arguments are evaluated (it used to read as no cases: 136 tests vanished as skips).
    nonisolated(unsafe) static let file = Result { try FixtureFile("losses.json") }

    /// Every case of the fixture; throws when the file is missing, unreadable or holds none.
    static func all() throws -> [LossFixtureCase] {
        let cases: [[String: Any]] = try file.get().meta("cases")
        guard !cases.isEmpty else { throw FixtureError("losses.json holds no cases") }
        return cases.map(LossFixtureCase.init)
    }

    init(_ entry: [String: Any]) {
        name = entry["name"] as! String
        spec = entry["spec"] as! String
        miner = entry["miner"] as? String
        n = entry["n"] as! Int
        d = entry["d"] as! Int
        classes = entry["classes"] as! Int
        labels = entry["labels"] as! [Int]
        seed = UInt64(entry["seed"] as! Int)
        scale = entry["scale"] as! Double
        embeddingsKind = entry["embeddings"] as! String
        parameters = (entry["parameters"] as! [[String: Any]]).map {
            ($0["name"] as! String, $0["shape"] as! [Int], $0["scale"] as! Double)
        }
        dropoutMask = entry["dropout_mask"] as! Bool
        compareGradient = entry["compare_gradient"] as! Bool
    }

    /// The loss with its parameters set as the script set them, and the embeddings.
    func makeLoss() throws -> (loss: any MetricLoss, embeddings: Tensor) {
        let loss = try LossRegistry.makeLoss(spec, classes: classes, embeddingSize: d)
        var generator = SeededGenerator(seed: seed)
        var x = generator.uniform(count: n * d, scale: scale)
        switch embeddingsKind {
        case "identical": x = (0..<n).flatMap { _ in x[0..<d] }
        case "zero_rows": for row in [1, 5] { for k in 0..<d { x[row * d + k] = 0 } }
        default: break
        }
        let named = loss.namedParameters
        precondition(named.map(\.name) == parameters.map(\.name), "\(name): parameters \(named.map(\.name)) vs \(parameters.map(\.name))")
        for (entry, spec) in zip(named, parameters) {
            let values = generator.uniform(count: spec.shape.reduce(1, *)).map { $0 * Float(spec.scale) }
            entry.parameter.value = Tensor(shape: spec.shape, values: values)
        }
        if dropoutMask, let head = loss as? SmoothCrossEntropyLoss {
            head.dropout.fixedMask = (0..<(n * d)).map { _ in generator.nextUnit() >= head.dropout.probability ? 1 : 0 }
        }
        return (loss, Tensor(shape: [n, d], values: x))
    }

    /// A reference tensor of this case (the fixture was read when the case was made).
    subscript(tensor: String) -> FixtureFile.Entry { try! LossFixtureCase.file.get()[name + "/" + tensor] }
}

@testable import MLEngine
@testable import MLModels

/// A layer that only owns parameters of the given names and shapes.
final class ParameterHolder: Layer {
    let namedParameters: [(name: String, parameter: Parameter)]
    init(_ shapes: [(String, [Int])]) { namedParameters = shapes.map { (name: $0.0, parameter: Parameter(Tensor(shape: $0.1))) } }
    init(_ entries: [(String, Parameter)]) { namedParameters = entries.map { (name: $0.0, parameter: $0.1) } }
    func forward(_ x: Tensor, training: Bool) throws -> Tensor { x }
    func backward(_ dy: Tensor, needsInputGradient: Bool) -> Tensor? { dy }
}

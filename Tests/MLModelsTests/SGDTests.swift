@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct SGDTests {
    private static let shapes: [(String, [Int])] = [("w", [3, 4]), ("b", [4]), ("c", [2, 3, 2, 2])]
    private static let rates = [0.1, 0.05, 0.02]

    /// Parameters then three steps of gradients from seed 5, as tools/reference/sgd.py draws them.
    private func setUp() -> (parameters: [(name: String, parameter: Parameter)], gradients: [[Tensor]]) {
        var generator = SeededGenerator(seed: 5)
        let parameters = Self.shapes.map { (name: $0.0, parameter: Parameter(generator.tensor($0.1))) }
        let gradients = Self.rates.map { _ in Self.shapes.map { generator.tensor($0.1) } }
        return (parameters, gradients)
    }

    private func run(_ optimizer: SGD, _ parameters: [(name: String, parameter: Parameter)], _ gradients: [[Tensor]],
                     steps: Range<Int> = 0..<3) {
        for step in steps {
            optimizer.learningRate = Self.rates[step]
            for (entry, gradient) in zip(parameters, gradients[step]) { entry.parameter.gradient = gradient }
            optimizer.step()
        }
    }

    @Test(arguments: [
        ("nesterov", 0.9, 0.0, true, 0.05, false),
        ("dampened", 0.8, 0.25, false, 0.01, false),
        ("plain", 0.0, 0.0, false, 0.1, true),
    ])
    func matchesTorchOptimSGD(config: String, momentum: Double, dampening: Double, nesterov: Bool,
                              weightDecay: Double, decayEverything: Bool) throws {
        let reference = try FixtureFile("sgd.json")
        let (parameters, gradients) = setUp()
        let groups = decayEverything
            ? [SGD.ParameterGroup(parameters: parameters, weightDecay: weightDecay)]
            : SGD.groupsWithoutBiasDecay(parameters, weightDecay: weightDecay)
        let optimizer = try SGD(groups: groups, learningRate: Self.rates[0], momentum: momentum,
                                dampening: dampening, nesterov: nesterov)
        run(optimizer, parameters, gradients)
        for (name, parameter) in parameters {
            let expected = reference["\(config).\(name)"].values
            let error = relativeError(parameter.value.scalars, expected)
            #expect(error <= 1e-6, "\(config).\(name): relative error \(error), \(worstMismatch(parameter.value.scalars, expected))")
            if momentum != 0 {
                let buffer = try #require(optimizer.momentumBuffers[name]).scalars
                let expected = reference["\(config).\(name).momentum"].values
                #expect(relativeError(buffer, expected) <= 1e-6, "\(config).\(name) momentum: \(worstMismatch(buffer, expected))")
            } else {
                #expect(optimizer.momentumBuffers.isEmpty)
            }
        }
    }

    @Test func groupsDecayOnlyWeightsAndSkipBuffers() {
        let entries: [(name: String, parameter: Parameter)] = [
            ("conv.weight", Parameter(Tensor(shape: [2, 1, 3, 3]))), ("bn.bias", Parameter(Tensor(shape: [2]))),
            ("bn.running_mean", Parameter(buffer: Tensor(shape: [2]))), ("fc.weight", Parameter(Tensor(shape: [3, 2]))),
        ]
        let groups = SGD.groupsWithoutBiasDecay(entries, weightDecay: 5e-4)
        #expect(groups.map { $0.parameters.map(\.name) } == [["conv.weight", "fc.weight"], ["bn.bias"]])
        #expect(groups.map(\.weightDecay) == [5e-4, 0])
    }

    @Test func restoredMomentumContinuesTheSameTrajectory() throws {
        let (parameters, gradients) = setUp()
        let optimizer = try SGD(groups: SGD.groupsWithoutBiasDecay(parameters, weightDecay: 0.05),
                                learningRate: 0.1, momentum: 0.9, nesterov: true)
        run(optimizer, parameters, gradients, steps: 0..<2)
        let copies = parameters.map { (name: $0.name, parameter: Parameter($0.parameter.value)) }
        let resumed = try SGD(groups: SGD.groupsWithoutBiasDecay(copies, weightDecay: 0.05),
                              learningRate: 0.1, momentum: 0.9, nesterov: true)
        try resumed.loadMomentumBuffers(optimizer.momentumBuffers)
        let versions = copies.map(\.parameter.version)
        run(optimizer, parameters, gradients, steps: 2..<3)
        run(resumed, copies, gradients, steps: 2..<3)
        #expect(parameters.map(\.parameter.value.scalars) == copies.map(\.parameter.value.scalars))
        #expect(zip(versions, copies.map(\.parameter.version)).allSatisfy { $0 < $1 })
    }

    @Test func refusesInvalidSettingsAndForeignState() throws {
        let (parameters, _) = setUp()
        let groups = [SGD.ParameterGroup(parameters: parameters, weightDecay: 0)]
        #expect(throws: OptimizerError.self) { try SGD(groups: groups, learningRate: 0.1, momentum: 0, nesterov: true) }
        #expect(throws: OptimizerError.self) { try SGD(groups: groups, learningRate: -1) }
        let optimizer = try SGD(groups: groups, learningRate: 0.1, momentum: 0.9)
        let unknown = #expect(throws: OptimizerError.self) { try optimizer.loadMomentumBuffers(["fc.weight": Tensor(shape: [1])]) }
        #expect(unknown?.description.contains("'fc.weight'") == true)
        #expect(throws: OptimizerError.self) { try optimizer.loadMomentumBuffers(["w": Tensor(shape: [4, 3])]) }
    }
}

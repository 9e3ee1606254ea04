@testable import MLEngine
@testable import MLLosses
import TestSupport
import Testing

@Suite struct CriterionTests {
    @Test func defaultMinerFeedsTheLoss() throws {
        let criterion = try LossRegistry.makeCriterion(loss: "multi_similarity", classes: 4, embeddingSize: 6)
        #expect(criterion.miner?.name == "MultiSimilarityMiner")
        var generator = SeededGenerator(seed: 4)
        let x = generator.tensor([8, 6])
        let labels = [0, 0, 1, 1, 2, 2, 3, 3]
        let indices = try MultiSimilarityMiner().mine(x, labels: labels)
        let direct = try MultiSimilarityLoss().evaluate(x, labels: labels, indices: indices)
        let combined = try criterion(x, labels: labels)
        #expect(combined.value == direct.value)
        #expect(combined.gradient.scalars == direct.gradient.scalars)
        #expect(try LossRegistry.makeCriterion(loss: "multi_similarity", miner: "none", classes: 4, embeddingSize: 6).miner == nil)
    }

    @Test func parametersAreNamedAndAccumulate() throws {
        let criterion = try LossRegistry.makeCriterion(loss: "cross_entropy", classes: 3, embeddingSize: 2)
        #expect(criterion.namedParameters.map(\.name) == ["classifier.weight", "classifier.bias"])
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        _ = try criterion(x, labels: [0, 1])
        let once = try #require(criterion.namedParameters[1].parameter.gradient).scalars
        _ = try criterion(x, labels: [0, 1])
        let twice = try #require(criterion.namedParameters[1].parameter.gradient).scalars
        #expect(twice == once.map { 2 * $0 })
        criterion.zeroGradients()
        #expect(try #require(criterion.namedParameters[1].parameter.gradient).scalars == [0, 0, 0])
    }
}

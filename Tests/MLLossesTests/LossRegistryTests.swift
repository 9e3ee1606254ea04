@testable import MLEngine
@testable import MLLosses
import Testing

/// The registry's table is consistent: every entry builds from its defaults, and every parameter it
/// declares is accepted with its default value, giving the same loss or miner.
@Suite struct LossRegistryTests {
    @Test func everyLossBuildsFromItsDeclaredDefaults() throws {
        var generator = SeededGenerator(seed: 8)
        let embeddings = generator.tensor([8, 3])
        let labels = [0, 1, 2, 3, 0, 1, 2, 3]
        for entry in LossRegistry.losses {
            let implicit = try LossRegistry.makeLoss(LossSpecification(name: entry.name), classes: 4, embeddingSize: 3)
            let given = Dictionary(uniqueKeysWithValues: entry.parameters.map { ($0.name, $0.defaultValue) })
            let explicit = try LossRegistry.makeLoss(LossSpecification(name: entry.name, parameters: given),
                                                     classes: 4, embeddingSize: 3)
            let (a, b) = (try implicit.evaluate(embeddings, labels: labels, training: false),
                          try explicit.evaluate(embeddings, labels: labels, training: false))
            #expect(a.value == b.value && a.gradient.scalars == b.gradient.scalars, "\(entry.name): \(a.value) vs \(b.value)")
        }
    }

    @Test func everyMinerBuildsFromItsDeclaredDefaults() throws {
        for entry in LossRegistry.miners {
            let given = Dictionary(uniqueKeysWithValues: entry.parameters.map { ($0.name, $0.defaultValue) })
            _ = try LossRegistry.makeMiner(LossSpecification(name: entry.name))
            _ = try LossRegistry.makeMiner(LossSpecification(name: entry.name, parameters: given))
        }
    }

    @Test func classificationLossesAreTheOnesWithParametersOfTheirOwn() throws {
        for entry in LossRegistry.losses {
            let loss = try LossRegistry.makeLoss(LossSpecification(name: entry.name), classes: 4, embeddingSize: 3)
            // Pairwise losses own no parameters; classification losses own a classifier, proxies or centres
            // (SPCE's prototypes come from the batch).
            #expect(loss.namedParameters.isEmpty == (entry.kind == .pairwise || entry.name == "spce"), "\(entry.name)")
        }
    }
}

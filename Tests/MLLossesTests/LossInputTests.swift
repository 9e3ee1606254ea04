@testable import MLEngine
@testable import MLLosses
import TestSupport
import Testing

/// Bad input throws a `LossError` naming the loss and the problem.
@Suite struct LossInputTests {
    static let names = LossRegistry.losses.map(\.name)

    func expectError(_ name: String, _ embeddings: Tensor, labels: [Int], mentions fragment: String) throws {
        let loss = try LossRegistry.makeLoss(name, classes: 4, embeddingSize: 3)
        do {
            _ = try loss.evaluate(embeddings, labels: labels)
            Issue.record("\(name): no error for input that should mention '\(fragment)'")
        } catch let error as LossError {
            #expect(error.loss == loss.name, "\(error)")
            #expect(error.description.contains(fragment), "\(name): message '\(error)' lacks '\(fragment)'")
        }
    }

    @Test(arguments: names)
    func countMismatchThrows(_ name: String) throws {
        try expectError(name, Tensor(shape: [4, 3], repeating: 0.5), labels: [0, 1, 2], mentions: "4 embeddings but 3 labels")
    }

    @Test(arguments: names)
    func emptyDimensionThrows(_ name: String) throws {
        try expectError(name, Tensor(shape: [4, 0]), labels: [0, 1, 2, 3], mentions: "dimension d is 0")
    }

    @Test(arguments: names)
    func nonFiniteValuesThrow(_ name: String) throws {
        var values = [Float](repeating: 0.25, count: 12)
        values[7] = .nan
        try expectError(name, Tensor(shape: [4, 3], values: values), labels: [0, 1, 2, 3], mentions: "embedding [2, 1] is nan")
        values[7] = .infinity
        try expectError(name, Tensor(shape: [4, 3], values: values), labels: [0, 1, 2, 3], mentions: "embedding [2, 1] is inf")
    }

    @Test(arguments: ["cross_entropy", "normalized_softmax", "arcface", "proxy_nca", "proxy_anchor", "center", "spce"])
    func labelOutsideClassesThrows(_ name: String) throws {
        try expectError(name, Tensor(shape: [4, 3], repeating: 0.5), labels: [0, 1, 4, 3], mentions: "label 4 at index 2 is outside the 4 classes")
        try expectError(name, Tensor(shape: [4, 3], repeating: 0.5), labels: [0, -1, 2, 3], mentions: "label -1 at index 1")
    }

    @Test(arguments: ["cross_entropy", "normalized_softmax", "arcface", "proxy_nca", "proxy_anchor", "center"])
    func wrongEmbeddingSizeThrows(_ name: String) throws {
        try expectError(name, Tensor(shape: [4, 5], repeating: 0.5), labels: [0, 1, 2, 3], mentions: "embedding size 5 does not match the loss's 3")
    }

    @Test func registryRejectsUnknownNamesAndParameters() throws {
        #expect(throws: LossError.self) { try LossRegistry.makeLoss("no_such_loss", classes: 2, embeddingSize: 2) }
        do {
            _ = try LossRegistry.makeLoss("arcface:margn=3", classes: 2, embeddingSize: 2)
            Issue.record("misspelt parameter accepted")
        } catch let error as LossError {
            #expect(error.description.contains("unknown parameter 'margn'"), "\(error)")
        }
        do {
            _ = try LossRegistry.makeLoss("arcface:margin=wide", classes: 2, embeddingSize: 2)
            Issue.record("non-numeric margin accepted")
        } catch let error as LossError {
            #expect(error.description.contains("margin=wide is not a number"), "\(error)")
        }
    }

    @Test func specificationParsesNameAndParameters() throws {
        let specification = try LossSpecification(parsing: "triplet:margin=0.1, distance=cosine")
        #expect(specification.name == "triplet")
        #expect(specification.parameters == ["margin": "0.1", "distance": "cosine"])
        #expect(throws: LossError.self) { try LossSpecification(parsing: "triplet:margin") }
    }
}

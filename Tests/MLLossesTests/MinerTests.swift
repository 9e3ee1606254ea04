@testable import MLEngine
@testable import MLLosses
import TestSupport
import Testing

/// Every miner against PML 2.9 in float64 (Tests/Fixtures/losses.json, cases "miner/…"). Pairs and triplets
/// are compared as multisets: PML's order depends on `torch.sort`, which is not stable.
@Suite struct MinerTests {
    @Test(arguments: try LossFixtureCase.all().filter { $0.name.hasPrefix("miner/") })
    func matchesReference(_ fixture: LossFixtureCase) throws {
        var generator = SeededGenerator(seed: fixture.seed)
        let embeddings = generator.tensor([fixture.n, fixture.d], scale: fixture.scale)
        let mined = try LossRegistry.makeMiner(fixture.spec).mine(embeddings, labels: fixture.labels)
        func reference(_ name: String) -> [Int] { fixture[name].values.map { Int($0) } }
        switch mined {
        case let .triplets(a, p, n):
            let got = zip(a, zip(p, n)).map { [$0.0, $0.1.0, $0.1.1] }.sorted { $0.lexicographicallyPrecedes($1) }
            let want = zip(reference("a"), zip(reference("p"), reference("n"))).map { [$0.0, $0.1.0, $0.1.1] }
                .sorted { $0.lexicographicallyPrecedes($1) }
            #expect(got == want, "\(fixture): \(got.count) triplets, reference \(want.count); first difference \(Array(zip(got, want)).first { $0.0 != $0.1 }.map { "\($0.0) vs \($0.1)" } ?? "in length")")
        case let .pairs(a1, p, a2, n):
            for (anchors, others, names) in [(a1, p, ("a1", "p")), (a2, n, ("a2", "n"))] {
                let got = zip(anchors, others).map { [$0.0, $0.1] }.sorted { $0.lexicographicallyPrecedes($1) }
                let want = zip(reference(names.0), reference(names.1)).map { [$0.0, $0.1] }.sorted { $0.lexicographicallyPrecedes($1) }
                #expect(got == want, "\(fixture): \(names) \(got.count) pairs, reference \(want.count)")
            }
        }
    }

    @Test func lossesConvertMinedIndicesAsPML() {
        let pairs = MinedIndices.pairs(a1: [0, 1], p: [2, 3], a2: [0, 0, 1], n: [4, 5, 6])
        let triplets = MinedIndices.triplets(pairs, labels: [])
        #expect(triplets.a == [0, 0, 1] && triplets.p == [2, 2, 3] && triplets.n == [4, 5, 6])
        let back = MinedIndices.pairs(.triplets(a: [0], p: [1], n: [2]), labels: [])
        #expect(back.a1 == [0] && back.p == [1] && back.a2 == [0] && back.n == [2])
        let expected: [Double] = [3, 2, 1, 1, 1, 1, 1].map { $0 / 3 }
        #expect(MinedIndices.weights(pairs, count: 7) == expected)
    }

    @Test func minerRejectsBadInput() throws {
        let miner = try LossRegistry.makeMiner("batch_hard")
        #expect(throws: LossError(loss: "BatchHardMiner", problem: "3 embeddings but 2 labels")) {
            try miner.mine(Tensor(shape: [3, 2], repeating: 1), labels: [0, 1])
        }
        #expect(throws: LossError.self) { try LossRegistry.makeMiner("triplet_margin:type=medium") }
    }
}

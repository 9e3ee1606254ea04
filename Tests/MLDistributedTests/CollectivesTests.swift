import MLFormats
import TestSupport
import Testing

/// The collectives over 2 ranks with rank-dependent inputs (see `Check.collectives`).
@Suite(.serialized) struct CollectivesTests {
    @Test func everyRankGetsTheCollectivesResults() throws {
        let job = try CheckJob("collectives", in: try TemporaryDirectory())
        guard job.succeeded() else { return }
        for rank in 0..<2 {
            let file = try job.output(rank: rank)
            #expect(try file.integers(named: "size") == [2])
            #expect(try file.floats(named: "broadcast") == [1.5, 2.5, 1], "rank \(rank): rank 1's array")
            #expect(try file.floats(named: "sum") == [3, 10], "rank \(rank): [1, 0] + [2, 10]")
            #expect(try file.floats(named: "max") == [2, 10])
            #expect(try file.floats(named: "min") == [1, 0])
            #expect(try file.integers(named: "allgather") == [0, 100, 101], "rank \(rank): [0] then [100, 101]")
        }
        #expect(try job.output(rank: 0).floats(named: "gather") == [0, 0.25, 1], "rank 0 gathers [0, 0.25] and [1]")
        #expect(try job.output(rank: 1).info("gather") == nil, "only the root receives a gather")
    }
}

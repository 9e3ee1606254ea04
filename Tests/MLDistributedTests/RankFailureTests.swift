import Foundation
import TestSupport
import Testing

/// A rank that dies or fails while the other waits in a collective ends the whole job with an error within
/// seconds (`Check.failure`): never a hang.
@Suite(.serialized) struct RankFailureTests {
    @Test func aKilledRankEndsTheJob() throws {
        let job = try CheckJob("failure", option: "kill", in: try TemporaryDirectory(), timeout: 60)
        #expect(job.outcome.status > 0, "status \(job.outcome.status): \(job.outcome.output)")
        #expect(job.outcome.seconds < 20, "the job took \(job.outcome.seconds) s to end")
    }

    @Test func anErrorOnOneRankAbortsTheOthers() throws {
        let job = try CheckJob("failure", option: "throw", in: try TemporaryDirectory(), timeout: 60)
        #expect(job.outcome.status > 0, "status \(job.outcome.status): \(job.outcome.output)")
        #expect(job.outcome.output.contains("Error on rank 1: ranks disagree: rank 1 fails on purpose"), "\(job.outcome.output)")
        #expect(job.outcome.seconds < 20, "the job took \(job.outcome.seconds) s to end")
    }
}

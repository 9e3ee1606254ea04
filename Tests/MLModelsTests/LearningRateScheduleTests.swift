@testable import MLModels
import TestSupport
import Testing

@Suite struct LearningRateScheduleTests {
    private func schedule(_ kind: LearningRateSchedule.Kind) throws -> LearningRateSchedule {
        try LearningRateSchedule(kind, baseRate: 0.02, iterationsPerEpoch: 7, epochs: 30, stepEpochs: 10)
    }

    @Test(arguments: LearningRateSchedule.Kind.allCases)
    func matchesThePythonFormulas(kind: LearningRateSchedule.Kind) throws {
        let reference = try FixtureFile("lr_schedules.json")[kind.rawValue].values
        let schedule = try schedule(kind)
        #expect(reference.count == schedule.totalIterations)
        for (i, expected) in reference.enumerated() {
            #expect(abs(schedule.rate(at: i) - expected) <= 1e-15, "\(kind) at \(i): \(schedule.rate(at: i)) vs \(expected)")
        }
    }

    @Test func handCheckedPoints() throws {
        // S = 7, T = 210, lr 0.02, step every 70 iterations, warm-up 100.
        #expect(abs(try schedule(.warmcos).rate(at: 0) - 0.0002) < 1e-15)
        #expect(abs(try schedule(.warmcos).rate(at: 49) - 0.01) < 1e-15)          // warm-up 0.5 < cosine 0.87
        #expect(abs(try schedule(.warmcos).rate(at: 99) - 0.02 * 0.5448197) < 1e-8) // cosine (1 + 0.08964)/2 below warm-up
        #expect(abs(try schedule(.cos).rate(at: 209) - 1.1190e-6) < 1e-9)           // 0.02 sin²(π/420)
        #expect(try schedule(.step).rate(at: 69) == 0.02)
        #expect(abs(try schedule(.step).rate(at: 70) - 0.002) < 1e-15)
        #expect(abs(try schedule(.step).rate(at: 209) - 0.0002) < 1e-15)
        #expect(abs(try schedule(.warmstep).rate(at: 99) - 0.002) < 1e-15)
        #expect(try schedule(.constant).rate(at: 150) == 0.02)
    }

    @Test func namesForTheCommandLine() throws {
        #expect(try LearningRateSchedule.kind(named: "warmcos") == .warmcos)
        let error = #expect(throws: OptimizerError.self) { try LearningRateSchedule.kind(named: "linear") }
        #expect(error?.description == "unknown learning-rate schedule 'linear' (valid: warmcos, cos, step, warmstep, constant)")
        #expect(throws: OptimizerError.self) { try LearningRateSchedule(.cos, baseRate: 0.1, iterationsPerEpoch: 0, epochs: 3) }
    }
}

import Foundation
import MetricLearning

extension BenchModel {
    /// How many (operation, shape) lines the profile lists.
    static let topShapes = 25

    /// Prints where the time of `steps` training steps and inference batches goes: each oneDNN operation
    /// (milliseconds per step, share of the wall time), the Swift sections, the rest (Swift between
    /// primitives) and the blocks the allocator took from the system.
    func printProfile(_ benchmark: ModelBenchmark) throws {
        for (phase, seconds, profile) in try benchmark.profile(steps: steps) {
            let perStep = 1000 * seconds / Double(steps)
            print("\n\(phase): \(String(format: "%.1f", perStep)) ms per step (\(steps) steps)")
            var covered = 0.0
            for entry in profile.operations {
                // The loss section contains its sgemm, which is listed on its own too.
                if entry.operation != "sgemm" { covered += entry.seconds }
                print(String(format: "%9.2f ms %5.1f %%  %6d×  ", 1000 * entry.seconds / Double(steps),
                             100 * entry.seconds / seconds, entry.count / steps) + entry.operation)
            }
            let other = seconds - covered
            print(String(format: "%9.2f ms %5.1f %%          other (Swift between primitives, tensor set-up)",
                         1000 * other / Double(steps), 100 * other / seconds))
            print("the \(Self.topShapes) costliest operations on one shape:")
            for entry in profile.operationsByShape.filter({ !$0.shape.isEmpty }).prefix(Self.topShapes) {
                print(String(format: "%9.2f ms %5.1f %%  %6d×  ", 1000 * entry.seconds / Double(steps),
                             100 * entry.seconds / seconds, entry.count / steps) + "\(entry.operation)  \(entry.shape)")
            }
            let allocations = profile.systemAllocations
            print("allocator: \(allocations.count) blocks (\(allocations.bytes >> 20) MiB) taken from the system")
        }
    }
}

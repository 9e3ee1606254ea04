import Foundation

/// The learning-rate schedules of the paper's code, stepped every iteration (DESIGN §3).
///
/// With base rate `lr`, iteration i (from 0), S iterations per epoch, T = epochs × S, warm-up W (100)
/// and step interval `stepEpochs`:
/// - `warmcos`: lr × min((i+1)/W, (1 + cos(π i / T)) / 2)
/// - `cos`: lr × (1 + cos(π i / T)) / 2
/// - `step`: lr × 0.1^⌊i / (stepEpochs × S)⌋
/// - `warmstep`: lr × min((i+1)/W, 1) × 0.1^⌊i / (stepEpochs × S)⌋
/// - `constant`: lr
public struct LearningRateSchedule: Sendable, Equatable {
    /// The shape of the schedule; the raw value is its CLI name.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case warmcos, cos, step, warmstep, constant
    }

    public let kind: Kind
    /// The base learning rate.
    public let baseRate: Double
    /// Iterations per epoch (S).
    public let iterationsPerEpoch: Int
    /// Epochs of training (T = epochs × S).
    public let epochs: Int
    /// Epochs between tenfold decreases for `step` and `warmstep`.
    public let stepEpochs: Double
    /// Iterations of linear warm-up for `warmcos` and `warmstep`.
    public let warmupIterations: Int

    /// A schedule; throws `OptimizerError` when a count is not positive.
    public init(_ kind: Kind, baseRate: Double, iterationsPerEpoch: Int, epochs: Int, stepEpochs: Double = 10,
                warmupIterations: Int = 100) throws {
        guard iterationsPerEpoch > 0 else { throw OptimizerError("iterations per epoch must be > 0, got \(iterationsPerEpoch)") }
        guard epochs > 0 else { throw OptimizerError("epochs must be > 0, got \(epochs)") }
        guard stepEpochs > 0 else { throw OptimizerError("the step interval must be > 0 epochs, got \(stepEpochs)") }
        guard warmupIterations > 0 else { throw OptimizerError("warm-up iterations must be > 0, got \(warmupIterations)") }
        self.kind = kind
        self.baseRate = baseRate
        self.iterationsPerEpoch = iterationsPerEpoch
        self.epochs = epochs
        self.stepEpochs = stepEpochs
        self.warmupIterations = warmupIterations
    }

    /// The schedule kind named `name` (as the CLI spells it); the error lists the valid names.
    public static func kind(named name: String) throws -> Kind {
        guard let kind = Kind(rawValue: name) else {
            throw OptimizerError("unknown learning-rate schedule '\(name)' (valid: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return kind
    }

    /// The total number of iterations T.
    public var totalIterations: Int { epochs * iterationsPerEpoch }

    /// The learning rate for iteration `i` (0-based).
    public func rate(at i: Int) -> Double {
        let warmup = Double(i + 1) / Double(warmupIterations)
        let cosine = (1 + Foundation.cos(Double.pi * Double(i) / Double(totalIterations))) / 2
        let decay = pow(0.1, (Double(i) / (stepEpochs * Double(iterationsPerEpoch))).rounded(.down))
        switch kind {
        case .warmcos: return baseRate * min(warmup, cosine)
        case .cos: return baseRate * cosine
        case .step: return baseRate * decay
        case .warmstep: return baseRate * min(warmup, 1) * decay
        case .constant: return baseRate
        }
    }
}

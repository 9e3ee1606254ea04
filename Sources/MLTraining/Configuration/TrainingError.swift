/// A training run could not start or continue; each case names what was wrong.
public enum TrainingError: Error, CustomStringConvertible {
    /// A name (preset, arch, loss, miner, sampler, schedule, …) not in the list of valid ones.
    case unknownName(kind: String, name: String, valid: [String])
    /// An option value out of range or inconsistent with another.
    case invalidOption(String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, iteration: Int, value: Float, checkpoint: String)
    /// A parameter's gradient held a NaN or an infinity while the loss was finite.
    case nonFiniteGradient(parameter: String, epoch: Int, iteration: Int, checkpoint: String)
    /// A run folder or checkpoint did not hold what was expected.
    case invalidRun(String)

    public var description: String {
        switch self {
        case let .unknownName(kind, name, valid):
            "unknown \(kind) '\(name)'; valid: \(valid.joined(separator: ", "))"
        case let .invalidOption(message):
            message
        case let .nonFiniteLoss(epoch, iteration, value, checkpoint):
            "loss became \(value) at epoch \(epoch), iteration \(iteration); stopped. The last good checkpoint is \(checkpoint)"
        case let .nonFiniteGradient(parameter, epoch, iteration, checkpoint):
            "the gradient of \(parameter) became non-finite at epoch \(epoch), iteration \(iteration); stopped. "
                + "The last good checkpoint is \(checkpoint)"
        case let .invalidRun(message):
            message
        }
    }
}

/// Which state-dict keys `Layer.load` skips on both sides.
public struct StateDictFilter: Sendable {
    /// Whether `name` is skipped.
    public let ignores: @Sendable (String) -> Bool

    /// A filter skipping the names for which `ignores` is true.
    public init(_ ignores: @escaping @Sendable (String) -> Bool) { self.ignores = ignores }

    /// Skips batch norm's `num_batches_tracked`, which the layers do not model.
    public static let unmodelled = StateDictFilter { $0.hasSuffix("num_batches_tracked") }

    /// For loading a classification network's weights into a backbone: also skips the classifier `fc.*`.
    public static let backbone = StateDictFilter { $0.hasPrefix("fc.") || unmodelled.ignores($0) }
}

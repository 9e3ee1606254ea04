/// Turns a loss's per-element (per pair, per triplet) values into one number (PML's reducers).
public protocol Reducer: Sendable {
    /// The reduced value and dValue/dLosses[i] for each element.
    func reduce(_ losses: [Double]) -> (value: Double, weights: [Double])
}

/// The mean of all elements; 0 for no elements (where PML's `torch.mean` of nothing is NaN).
public struct MeanReducer: Reducer {
    public init() {}

    public func reduce(_ losses: [Double]) -> (value: Double, weights: [Double]) {
        guard !losses.isEmpty else { return (0, []) }
        let scale = 1 / Double(losses.count)
        return (losses.reduce(0, +) * scale, Array(repeating: scale, count: losses.count))
    }
}

/// The mean of the elements above zero; 0 when none is (PML's `AvgNonZeroReducer`).
public struct AvgNonZeroReducer: Reducer {
    public init() {}

    public func reduce(_ losses: [Double]) -> (value: Double, weights: [Double]) {
        let positive = losses.filter { $0 > 0 }
        guard !positive.isEmpty else { return (0, Array(repeating: 0, count: losses.count)) }
        let scale = 1 / Double(positive.count)
        return (positive.reduce(0, +) * scale, losses.map { $0 > 0 ? scale : 0 })
    }
}

/// The sum of all elements (PML's `SumReducer`).
public struct SumReducer: Reducer {
    public init() {}

    public func reduce(_ losses: [Double]) -> (value: Double, weights: [Double]) {
        (losses.reduce(0, +), Array(repeating: 1, count: losses.count))
    }
}

/// The sum divided by a count the loss supplies, 0 when that count is 0 (PML's `DivisorReducer`).
public struct DivisorReducer: Sendable {
    public init() {}

    public func reduce(_ losses: [Double], divisor: Int) -> (value: Double, weights: [Double]) {
        guard divisor != 0 else { return (0, Array(repeating: 0, count: losses.count)) }
        let scale = 1 / Double(divisor)
        return (losses.reduce(0, +) * scale, Array(repeating: scale, count: losses.count))
    }
}

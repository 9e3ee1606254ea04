/// The mean of all elements; 0 for no elements (where PML's `torch.mean` of nothing is NaN).
public struct MeanReducer: Reducer {
    public init() {}

    public func reduce(_ losses: [Double]) -> (value: Double, weights: [Double]) {
        guard !losses.isEmpty else { return (0, []) }
        let scale = 1 / Double(losses.count)
        return (losses.reduce(0, +) * scale, Array(repeating: scale, count: losses.count))
    }
}

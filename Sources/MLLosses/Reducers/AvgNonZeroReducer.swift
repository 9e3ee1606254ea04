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

/// The sum of all elements (PML's `SumReducer`).
public struct SumReducer: Reducer {
    public init() {}

    public func reduce(_ losses: [Double]) -> (value: Double, weights: [Double]) {
        (losses.reduce(0, +), Array(repeating: 1, count: losses.count))
    }
}

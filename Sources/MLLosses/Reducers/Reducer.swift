/// Turns a loss's per-element (per pair, per triplet) values into one number (PML's reducers).
public protocol Reducer: Sendable {
    /// The reduced value and dValue/dLosses[i] for each element.
    func reduce(_ losses: [Double]) -> (value: Double, weights: [Double])
}

import Foundation

extension SeededGenerator {
    /// A standard normal double from the next two draws (Box–Muller, cosine branch):
    /// √(−2 ln(1 − u₁)) · cos(2π u₂) with u₁, u₂ from `nextUnit()`.
    public mutating func nextNormal() -> Double {
        let radius = (-2 * log(1 - nextUnit())).squareRoot()
        return radius * cos(2 * Double.pi * nextUnit())
    }
}

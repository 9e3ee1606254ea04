/// Sizes computed from numbers a file declares. A hostile file declares whatever overflows, so every size
/// a reader derives from one goes through these: nil instead of a wrapped or trapping result.
extension Sequence where Element == Int {
    /// The product of the elements (1 when empty), or nil when an element is negative or the product
    /// overflows `Int`.
    package var checkedProduct: Int? {
        var product = 1
        for value in self {
            guard value >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: value)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }
}

extension Int {
    /// `self × other`, or nil when it overflows.
    package func checkedTimes(_ other: Int) -> Int? {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? nil : product
    }

    /// `self + other`, or nil when it overflows.
    package func checkedPlus(_ other: Int) -> Int? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }
}

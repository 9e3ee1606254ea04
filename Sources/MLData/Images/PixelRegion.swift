/// A rectangle of pixels: `width × height` starting at column `left`, row `top` (may lie partly outside
/// an image: PIL's crop fills such pixels with zeros).
public struct PixelRegion: Equatable, Sendable, CustomStringConvertible {
    /// First column (negative: left of the image).
    public var left: Int
    /// First row (negative: above the image).
    public var top: Int
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// A region of `width × height` at (`left`, `top`).
    public init(left: Int, top: Int, width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "negative region size \(width)×\(height)")
        self.left = left
        self.top = top
        self.width = width
        self.height = height
    }

    /// "(left l, top t, w×h)".
    public var description: String { "(left \(left), top \(top), \(width)×\(height))" }
}

/// A rectangle of pixels: `width × height` starting at column `left`, row `top` (may lie partly outside
/// an image: PIL's crop fills such pixels with zeros).
public struct PixelRegion: Equatable, Sendable, CustomStringConvertible {
    public var left: Int
    public var top: Int
    public var width: Int
    public var height: Int

    public init(left: Int, top: Int, width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "negative region size \(width)×\(height)")
        self.left = left
        self.top = top
        self.width = width
        self.height = height
    }

    public var description: String { "(left \(left), top \(top), \(width)×\(height))" }
}

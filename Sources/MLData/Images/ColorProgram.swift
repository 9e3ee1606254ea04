import CImageKernels

/// ColorJitter's brightness, contrast and saturation in their drawn order, folded into one pass per pixel:
/// a byte table, then optionally ImageEnhance.Color, then another byte table (`dml_color_program`).
///
/// Brightness and contrast map each byte through a table (`RGBImage.blendTable`), so consecutive ones
/// compose into one table; saturation mixes a pixel's channels and sits between the two. Contrast's
/// table needs the mean "L" of the whole image as the adjustments before it left it, which
/// `init(_:image:)` computes with one read-only pass over `image` — the only step that needs every pixel.
struct ColorProgram {
    private static let identity = (0...255).map { UInt8($0) }
    private var before = identity
    private var saturation: Float?
    private var after = identity

    /// The program of `adjustments` (no hue) for `image`, the image they are applied to.
    init(_ adjustments: [ColorJitter.Adjustment], image: PixelView) {
        for adjustment in adjustments {
            switch adjustment {
            case .brightness(let factor):
                append(table: RGBImage.blendTable(degenerate: 0, factor: factor))
            case .contrast(let factor):
                let total = withProgram {
                    dml_color_luminance_sum(image.base, image.stride, Int32(image.width), Int32(image.height), $0)
                }
                let mean = Int(Double(total) / Double(max(image.width * image.height, 1)) + 0.5)
                append(table: RGBImage.blendTable(degenerate: UInt8(clamping: mean), factor: factor))
            case .saturation(let factor):
                precondition(saturation == nil, "two saturation adjustments in one program")
                if factor != 1 { saturation = Float(factor) }  // RGBImage.adjustingSaturation(1) changes nothing
            case .hue:
                preconditionFailure("a colour program has no hue adjustment")
            }
        }
    }

    /// Applies the program to `pixels` in place.
    func apply(to pixels: PixelView) {
        withProgram { dml_color_apply(pixels.base, pixels.stride, Int32(pixels.width), Int32(pixels.height), $0) }
    }

    private mutating func append(table: [UInt8]) {
        if saturation == nil {
            before = before.map { table[Int($0)] }
        } else {
            after = after.map { table[Int($0)] }
        }
    }

    private func withProgram<R>(_ body: (dml_color_program) -> R) -> R {
        before.withUnsafeBufferPointer { before in
            after.withUnsafeBufferPointer { after in
                body(dml_color_program(before: before.baseAddress, saturate: saturation == nil ? 0 : 1,
                                       alpha: saturation ?? 1, after: after.baseAddress))
            }
        }
    }
}

/// PIL's ImageEnhance (brightness, contrast, colour) and torchvision's PIL hue adjustment, byte-exact.
///
/// ImageEnhance blends the image with a "degenerate" image by `Image.blend(degenerate, image, factor)`:
/// per byte, in single precision as Pillow's Blend.c, `d + factor · (v − d)`, truncated to an integer
/// (clipped to 0…255 first when factor > 1).
extension RGBImage {
    /// ImageEnhance.Brightness: blend with black.
    public func adjustingBrightness(_ factor: Double) -> RGBImage {
        mapped(through: Self.blendTable(degenerate: 0, factor: factor))
    }

    /// ImageEnhance.Contrast: blend with the grey of the image's mean luminance (rounded to an integer).
    public func adjustingContrast(_ factor: Double) -> RGBImage {
        var total = 0
        pixels.withUnsafeBufferPointer { p in
            for i in Swift.stride(from: 0, to: p.count, by: 3) {
                total &+= Int(Self.luminance(p[i], p[i &+ 1], p[i &+ 2]))
            }
        }
        let count = max(width * height, 1)
        let mean = Int(Double(total) / Double(count) + 0.5)
        return mapped(through: Self.blendTable(degenerate: UInt8(clamping: mean), factor: factor))
    }

    /// ImageEnhance.Color (torchvision's adjust_saturation): blend each pixel with its own luminance.
    public func adjustingSaturation(_ factor: Double) -> RGBImage {
        if factor == 1 { return self }
        var result = pixels
        let alpha = Float(factor)
        // `blend` with its cases hoisted out of the loop (alpha 0 gives the grey through the formula too).
        let clips = !(alpha >= 0 && alpha <= 1)
        pixels.withUnsafeBufferPointer { p in
            result.withUnsafeMutableBufferPointer { out in
                for i in Swift.stride(from: 0, to: p.count, by: 3) {
                    let grey = Self.luminance(p[i], p[i + 1], p[i + 2])
                    let base = Float(grey)
                    for c in i..<(i + 3) {
                        let mixed = base + alpha * Float(Int32(p[c]) &- Int32(grey))
                        out[c] = clips ? UInt8(Swift.min(Swift.max(mixed, 0), 255)) : UInt8(mixed)
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: result)
    }

    /// torchvision's adjust_hue on PIL images: convert to Pillow's 8-bit HSV, add `factor · 255` truncated
    /// to an integer to the hue byte modulo 256 (numpy uint8 arithmetic), convert back. `factor` in
    /// [−0.5, 0.5].
    public func adjustingHue(_ factor: Double) -> RGBImage {
        precondition((-0.5...0.5).contains(factor), "hue factor \(factor) is not in [-0.5, 0.5]")
        let shift = UInt8(truncatingIfNeeded: Int(factor * 255))
        var result = pixels
        pixels.withUnsafeBufferPointer { p in
            result.withUnsafeMutableBufferPointer { out in
                for i in Swift.stride(from: 0, to: p.count, by: 3) {
                    let hsv = PillowHSV(red: p[i], green: p[i + 1], blue: p[i + 2])
                    let rgb = PillowHSV(hue: hsv.hue &+ shift, saturation: hsv.saturation, value: hsv.value).rgb
                    out[i] = rgb.red
                    out[i + 1] = rgb.green
                    out[i + 2] = rgb.blue
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: result)
    }

    /// Pillow's RGB → "L": (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16.
    @inline(__always)
    static func luminance(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> UInt8 {
        // Wrapping operators: the sum stays below 2³¹, and overflow checks would keep the loops scalar.
        UInt8(truncatingIfNeeded: (Int32(red) &* 19595 &+ Int32(green) &* 38470 &+ Int32(blue) &* 7471 &+ 0x8000) >> 16)
    }

    /// One byte of Pillow's `Image.blend(degenerate, image, alpha)`.
    @inline(__always)
    static func blend(_ degenerate: UInt8, _ value: UInt8, _ alpha: Float) -> UInt8 {
        if alpha == 0 { return degenerate }
        if alpha == 1 { return value }
        let mixed = Float(degenerate) + alpha * Float(Int32(value) - Int32(degenerate))
        if alpha >= 0 && alpha <= 1 { return UInt8(mixed) }
        if mixed <= 0 { return 0 }
        if mixed >= 255 { return 255 }
        return UInt8(mixed)
    }

    /// `blend(degenerate, v, factor)` for every byte value v.
    static func blendTable(degenerate: UInt8, factor: Double) -> [UInt8] {
        (0...255).map { blend(degenerate, UInt8($0), Float(factor)) }
    }

    /// Every byte replaced by `table[byte]`.
    private func mapped(through table: [UInt8]) -> RGBImage {
        var result = pixels
        table.withUnsafeBufferPointer { table in
            result.withUnsafeMutableBufferPointer { out in
                for i in 0..<out.count { out[i] = table[Int(out[i])] }
            }
        }
        return RGBImage(width: width, height: height, pixels: result)
    }
}

extension RGBImage {
    /// The image resized to `width × height` with PIL's antialiased BILINEAR resampling
    /// (`Image.resize(size, Image.BILINEAR)`): the same taps and fixed-point arithmetic, so the bytes match.
    public func resized(width: Int, height: Int) -> RGBImage {
        resized(region: PixelRegion(left: 0, top: 0, width: self.width, height: self.height), width: width, height: height)
    }

    /// `region` (inside the image) resized to `width × height`: exactly `cropped(to: region)` followed by
    /// `resized(width:height:)` (torchvision's `resized_crop` on PIL images), without copying the crop.
    ///
    /// PIL resizes in two passes, each rounding to 8 bits: horizontal over the rows the vertical pass
    /// needs, then vertical; a pass is skipped when its size does not change. Cost O(rows·width·taps).
    public func resized(region: PixelRegion, width outputWidth: Int, height outputHeight: Int) -> RGBImage {
        precondition(contains(region), "region \(region) lies outside the \(width)×\(height) image")
        precondition(outputWidth > 0 && outputHeight > 0, "resizing to \(outputWidth)×\(outputHeight)")
        let sameWidth = outputWidth == region.width, sameHeight = outputHeight == region.height
        if sameWidth && sameHeight { return cropped(to: region) }
        let vertical = sameHeight ? nil : BilinearAxis(inputSize: region.height, outputSize: outputHeight)
        let rows = vertical?.inputRange ?? 0..<region.height
        // Horizontal pass over the rows the vertical pass reads (or the region's own bytes when skipped).
        var intermediate: [UInt8]
        if sameWidth {
            intermediate = cropped(to: PixelRegion(left: region.left, top: region.top + rows.lowerBound,
                                                   width: region.width, height: rows.count)).pixels
        } else {
            let horizontal = BilinearAxis(inputSize: region.width, outputSize: outputWidth)
            intermediate = [UInt8](repeating: 0, count: rows.count * outputWidth * 3)
            pixels.withUnsafeBufferPointer { source in
                intermediate.withUnsafeMutableBufferPointer { target in
                    guard let source = source.baseAddress, let target = target.baseAddress else { return }
                    for row in 0..<rows.count {
                        let sourceRow = source + ((region.top + rows.lowerBound + row) * width + region.left) * 3
                        Self.resampleRow(sourceRow, into: target + row * outputWidth * 3, axis: horizontal)
                    }
                }
            }
        }
        guard let vertical else { return RGBImage(width: outputWidth, height: outputHeight, pixels: intermediate) }
        var result = [UInt8](repeating: 0, count: outputWidth * outputHeight * 3)
        intermediate.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                guard let source = source.baseAddress, let target = target.baseAddress else { return }
                Self.resampleColumns(source, firstRow: rows.lowerBound, rowLength: outputWidth * 3, into: target,
                                     axis: vertical)
            }
        }
        return RGBImage(width: outputWidth, height: outputHeight, pixels: result)
    }

    /// PIL's clip8: the fixed-point sum shifted down and clamped to 0…255.
    @inline(__always)
    private static func clip(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> BilinearAxis.precisionBits)
    }

    /// One row of RGB pixels resampled horizontally: `target[o] = Σ source[first[o] + t] · w[o, t]`.
    private static func resampleRow(_ source: UnsafePointer<UInt8>, into target: UnsafeMutablePointer<UInt8>,
                                    axis: BilinearAxis) {
        let half: Int32 = 1 << (BilinearAxis.precisionBits - 1)
        axis.weights.withUnsafeBufferPointer { weights in
        axis.first.withUnsafeBufferPointer { first in
        axis.count.withUnsafeBufferPointer { count in
            guard let allWeights = weights.baseAddress else { return }
            // Moving pointers, so the loops have no index arithmetic to check for overflow.
            var out = target
            for o in 0..<first.count {
                var red = half, green = half, blue = half
                var pixel = source + first[o] * 3
                let w = allWeights + o * axis.stride
                for t in 0..<count[o] {
                    red &+= Int32(pixel[0]) &* w[t]
                    green &+= Int32(pixel[1]) &* w[t]
                    blue &+= Int32(pixel[2]) &* w[t]
                    pixel += 3
                }
                out[0] = clip(red)
                out[1] = clip(green)
                out[2] = clip(blue)
                out += 3
            }
        }
        }
        }
    }

    /// Rows of `rowLength` bytes resampled vertically; `source` holds input rows from `firstRow` on.
    private static func resampleColumns(_ source: UnsafePointer<UInt8>, firstRow: Int, rowLength: Int,
                                        into target: UnsafeMutablePointer<UInt8>, axis: BilinearAxis) {
        let half: Int32 = 1 << (BilinearAxis.precisionBits - 1)
        var sums = [Int32](repeating: 0, count: rowLength)
        sums.withUnsafeMutableBufferPointer { sums in
            axis.weights.withUnsafeBufferPointer { weights in
                for o in 0..<axis.first.count {
                    sums.update(repeating: half)
                    for t in 0..<axis.count[o] {
                        let w = weights[o * axis.stride + t]
                        let row = source + (axis.first[o] + t - firstRow) * rowLength
                        for i in 0..<rowLength { sums[i] &+= Int32(row[i]) &* w }
                    }
                    let out = target + o * rowLength
                    for i in 0..<rowLength { out[i] = clip(sums[i]) }
                }
            }
        }
    }
}

extension RGBImage {
    /// Whether `region` lies entirely inside the image.
    public func contains(_ region: PixelRegion) -> Bool {
        region.left >= 0 && region.top >= 0 && region.left + region.width <= width && region.top + region.height <= height
    }

    /// The pixels of `region`, zeros where it lies outside the image (PIL's `crop`).
    public func cropped(to region: PixelRegion) -> RGBImage {
        var result = [UInt8](repeating: 0, count: region.width * region.height * 3)
        let columns = max(0, min(region.left + region.width, width) - max(region.left, 0))
        if columns > 0 {
            let sourceX = max(region.left, 0), targetX = sourceX - region.left
            pixels.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { target in
                    for y in max(region.top, 0)..<min(region.top + region.height, height) {
                        let from = (y * width + sourceX) * 3
                        let to = ((y - region.top) * region.width + targetX) * 3
                        _ = UnsafeMutableBufferPointer(rebasing: target[to..<(to + columns * 3)])
                            .update(fromContentsOf: source[from..<(from + columns * 3)])
                    }
                }
            }
        }
        return RGBImage(width: region.width, height: region.height, pixels: result)
    }

    /// The image mirrored left to right.
    public func flippedHorizontally() -> RGBImage {
        let rowBytes = width * 3
        let result = [UInt8](unsafeUninitializedCapacity: pixels.count) { target, initialized in
            pixels.withUnsafeBufferPointer { source in
                // Moving pointers, so the loop has no index arithmetic to check for overflow.
                guard var from = source.baseAddress, let base = target.baseAddress else { return }
                for y in 0..<height {
                    var to = base + (y * rowBytes + rowBytes - 3)
                    for _ in 0..<width {
                        to[0] = from[0]
                        to[1] = from[1]
                        to[2] = from[2]
                        from += 3
                        to -= 3
                    }
                }
            }
            initialized = pixels.count
        }
        return RGBImage(width: width, height: height, pixels: result)
    }
}

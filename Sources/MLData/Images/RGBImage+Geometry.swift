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
        var result = pixels
        pixels.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = y * width * 3
                    for x in 0..<width {
                        let from = row + x * 3, to = row + (width - 1 - x) * 3
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: result)
    }
}

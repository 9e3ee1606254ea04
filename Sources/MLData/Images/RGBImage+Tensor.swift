import MLEngine

extension RGBImage {
    /// torchvision's `ToTensor`: a [3, height, width] tensor of the bytes divided by 255 (float32).
    public func tensor() -> Tensor {
        var result = Tensor(shape: [3, height, width])
        result.withUnsafeMutableStorage { storage in
            if let base = storage.baseAddress { write(channelsFirstTo: base) }
        }
        return result
    }

    /// Writes `ToTensor`'s values (planes R, G, B of `height × width` floats in [0, 1]) to `target`, e.g.
    /// one image's slot in a batch tensor.
    public func write(channelsFirstTo target: UnsafeMutablePointer<Float>) {
        let plane = width * height
        let (red, green, blue) = (target, target + plane, target + 2 * plane)
        pixels.withUnsafeBufferPointer { p in
            // A moving pointer, so the loop has no index arithmetic to check for overflow.
            guard var source = p.baseAddress else { return }
            for i in 0..<plane {
                red[i] = Float(source[0]) / 255
                green[i] = Float(source[1]) / 255
                blue[i] = Float(source[2]) / 255
                source += 3
            }
        }
    }
}

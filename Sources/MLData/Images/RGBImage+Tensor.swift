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
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<plane {
                target[i] = Float(p[3 * i]) / 255
                target[plane + i] = Float(p[3 * i + 1]) / 255
                target[2 * plane + i] = Float(p[3 * i + 2]) / 255
            }
        }
    }
}

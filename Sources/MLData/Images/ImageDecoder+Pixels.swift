import CTurboJPEG

extension ImageDecoder {
    /// Decodes an encoded image to 4-byte pixels (R, G, B, X) in `scratch`: the same bytes as
    /// `decode(_:path:)`, with X undefined. Three-component and grey JPEGs are decoded straight to RGBX
    /// by TurboJPEG; other images go through `decode(_:path:)` and are copied.
    func decodePixels(_ bytes: UnsafeRawBufferPointer, path: String, into scratch: PixelScratch) throws -> PixelView {
        if let base = bytes.baseAddress, bytes.count >= 3 {
            let data = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            if ImageFormat(signature: data) == .jpeg {
                var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
                try check(tjDecompressHeader3(turboJPEG, data.baseAddress, UInt(data.count), &width, &height,
                                              &subsampling, &colorspace), path)
                guard width > 0, height > 0 else { throw ImageDecodingError(path: path, problem: .truncated) }
                if colorspace != Int32(TJCS_CMYK.rawValue) && colorspace != Int32(TJCS_YCCK.rawValue) {
                    let view = scratch.view(width: Int(width), height: Int(height))
                    try check(tjDecompress2(turboJPEG, data.baseAddress, UInt(data.count), view.base, width,
                                            Int32(view.stride), height, Int32(TJPF_RGBX.rawValue), 0), path)
                    return view
                }
            }
        }
        return try decode(bytes, path: path).copyPixels(into: scratch)
    }
}

extension RGBImage {
    /// The image as 4-byte pixels in `scratch`.
    func copyPixels(into scratch: PixelScratch) -> PixelView {
        let view = scratch.view(width: width, height: height)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let row = view.base + y * view.stride
                for x in 0..<width {
                    row[4 * x] = source[3 * (y * width + x)]
                    row[4 * x + 1] = source[3 * (y * width + x) + 1]
                    row[4 * x + 2] = source[3 * (y * width + x) + 2]
                    row[4 * x + 3] = 0
                }
            }
        }
        return view
    }
}

import CTurboJPEG

extension ImageDecoder {
    /// Decodes a JPEG with TurboJPEG's defaults (accurate integer IDCT, fancy upsampling, no scaling).
    ///
    /// Grey and colour JPEGs are decoded straight to RGB (libjpeg replicates grey as Pillow's "L" → "RGB"
    /// does). Four-component JPEGs (CMYK, or YCCK which libjpeg turns into CMYK) come out as CMYK and are
    /// converted as Pillow does: it reads them as Adobe-inverted ("CMYK;I") and then applies its cmyk2rgb.
    /// libjpeg warnings other than a premature end of file are ignored, as Pillow ignores them.
    func decodeJPEG(_ data: UnsafeBufferPointer<UInt8>, path: String) throws -> RGBImage {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let base = data.baseAddress
        let size = UInt(data.count)
        try check(tjDecompressHeader3(turboJPEG, base, size, &width, &height, &subsampling, &colorspace), path)
        let (w, h) = (Int(width), Int(height))
        // A file cut before its frame header only warns in libjpeg and reports a 0 × 0 image.
        guard w > 0, h > 0 else { throw ImageDecodingError(path: path, problem: .truncated) }
        guard w * h <= maximumPixels else {
            throw ImageDecodingError(path: path, problem: .tooLarge(width: w, height: h, limit: maximumPixels))
        }
        let fourComponents = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
        if !fourComponents {
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            let status = pixels.withUnsafeMutableBufferPointer {
                tjDecompress2(turboJPEG, base, size, $0.baseAddress, width, 0, height, Int32(TJPF_RGB.rawValue), Self.flags)
            }
            try check(status, path)
            return RGBImage(width: w, height: h, pixels: pixels)
        }
        var cmyk = [UInt8](repeating: 0, count: w * h * 4)
        let status = cmyk.withUnsafeMutableBufferPointer {
            tjDecompress2(turboJPEG, base, size, $0.baseAddress, width, 0, height, Int32(TJPF_CMYK.rawValue), Self.flags)
        }
        try check(status, path)
        return RGBImage(width: w, height: h, pixels: Self.rgb(fromInvertedCMYK: cmyk))
    }

    /// TurboJPEG's defaults, plus its limit on progressive scans: a small progressive file with thousands
    /// of scans would otherwise take minutes to decode (libjpeg-turbo's "two issues with the JPEG standard").
    private static let flags = TJFLAG_LIMITSCANS

    /// Pillow's CMYK → RGB for Adobe-inverted samples: with c = 255 − byte and k = 255 − byte, each channel
    /// is (255 − k) − (c · (255 − k)) / 255 with Pillow's rounded integer division (MULDIV255).
    static func rgb(fromInvertedCMYK cmyk: [UInt8]) -> [UInt8] {
        let count = cmyk.count / 4
        var rgb = [UInt8](repeating: 0, count: count * 3)
        for i in 0..<count {
            let notK = Int(cmyk[4 * i + 3])  // 255 − k, k the inverted byte
            for channel in 0..<3 {
                let c = 255 - Int(cmyk[4 * i + channel])
                let product = c * notK + 128
                let scaled = ((product >> 8) + product) >> 8
                rgb[3 * i + channel] = UInt8(clamping: notK - scaled)
            }
        }
        return rgb
    }

    /// Turns a TurboJPEG failure into an error; a warning other than a premature end of file passes.
    func check(_ status: Int32, _ path: String) throws {
        guard status != 0 else { return }
        let message = String(cString: tjGetErrorStr2(turboJPEG))
        if tjGetErrorCode(turboJPEG) == Int32(TJERR_WARNING.rawValue) {
            if message.contains("Premature end of JPEG file") {
                throw ImageDecodingError(path: path, problem: .truncated)
            }
            return
        }
        throw ImageDecodingError(path: path, problem: .corrupt("JPEG: \(message)"))
    }
}

import CPNG

extension ImageDecoder {
    /// Decodes a PNG through libpng (palette expanded, 1/2/4-bit grey scaled to 8 bits, interlacing
    /// undone) and converts it to RGB by Pillow's rules: alpha dropped (not composited), 16-bit samples cut
    /// to their high byte — except 16-bit grey without alpha, which Pillow opens as 32-bit "I" and
    /// converts by clipping to 0…255. No gamma or colour-profile processing, as in Pillow.
    static func decodePNG(_ data: UnsafeBufferPointer<UInt8>, path: String, maximumPixels: Int) throws -> RGBImage {
        var image = cpng_image()
        var message = [CChar](repeating: 0, count: 256)
        let status = cpng_decode(data.baseAddress, data.count, maximumPixels, &image, &message, message.count)
        if status == CPNG_TOO_LARGE {
            throw ImageDecodingError(path: path, problem: .tooLarge(width: Int(image.width), height: Int(image.height), limit: maximumPixels))
        }
        guard status == 0 else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageDecodingError(path: path, problem: .corrupt("PNG: \(reason)"))
        }
        defer { cpng_release(&image) }
        let (width, height) = (Int(image.width), Int(image.height))
        let channels = Int(image.channels)
        let sampleBytes = image.bit_depth == 16 ? 2 : 1
        let pixelCount = width * height
        let source = UnsafeBufferPointer(start: image.pixels, count: pixelCount * channels * sampleBytes)
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        let colourChannels = channels >= 3 ? 3 : 1
        for i in 0..<pixelCount {
            for c in 0..<3 {
                let sample = (i * channels + (colourChannels == 3 ? c : 0)) * sampleBytes
                if sampleBytes == 1 {
                    rgb[3 * i + c] = source[sample]
                } else if channels == 1 {
                    rgb[3 * i + c] = UInt8(clamping: Int(source[sample]) << 8 | Int(source[sample + 1]))
                } else {
                    rgb[3 * i + c] = source[sample]
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: rgb)
    }
}

import CTurboJPEG
import MLData
import MLEngine
import MLTraining

/// Small generated pictures and their JPEG files (encoded by TurboJPEG, which the decoder under test
/// reads like any camera's file), for tests that need real image files.
package enum TestPicture {
    /// A `width` × `height` picture of `number`: two seeded colours in stripes whose width and direction depend
    /// on `number`. `variant` 0 is the plain picture; another variant adds seeded noise of ±20 to every value,
    /// so two variants of one number look alike but are different images.
    package static func picture(_ number: Int, variant: Int = 0, width: Int = 48, height: Int = 40) -> RGBImage {
        var colours = SeededGenerator(seed: 7919 &* UInt64(number) &+ 11)
        let palette = (0..<6).map { _ in Int(colours.next() % 256) }
        var noise = SeededGenerator(seed: (UInt64(number) << 20) &+ UInt64(variant))
        let period = 3 + number % 5, direction = number % 3
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var offset = 0
        for y in 0..<height {
            for x in 0..<width {
                let along = direction == 0 ? x : direction == 1 ? y : x + y
                let band = 3 * ((along / period) % 2)
                for channel in 0..<3 {
                    let jitter = variant == 0 ? 0 : Int(noise.next() % 41) - 20
                    pixels[offset + channel] = UInt8(clamping: palette[band + channel] + jitter)
                }
                offset += 3
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// `picture(number, variant:, width:, height:)` as a baseline JPEG file (quality 90, no chroma subsampling).
    package static func jpeg(_ number: Int, variant: Int = 0, width: Int = 48, height: Int = 40) throws -> [UInt8] {
        try encode(picture(number, variant: variant, width: width, height: height))
    }

    /// `image` as a baseline JPEG file (quality 90, 4:4:4).
    package static func encode(_ image: RGBImage) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw TrainingError.invalidRun("TurboJPEG could not allocate a compressor") }
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(image.width), 0, Int32(image.height), Int32(TJPF_RGB.rawValue),
                        &buffer, &size, Int32(TJSAMP_444.rawValue), 90, 0)
        }
        defer { tjFree(buffer) }
        guard status == 0, let buffer else {
            throw TrainingError.invalidRun("TurboJPEG could not encode: \(String(cString: tjGetErrorStr2(handle)))")
        }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}

import MLFormats

extension DatasetSplit {
    /// Image `index` as RGB: decoded with `decoder`, taken from memory, or a grey image replicated to RGB
    /// (as Pillow's `convert("RGB")`).
    ///
    /// - Throws: the decoder's error, or `DataFileError` for a file that decodes to no pixels (a JPEG cut
    ///   short inside its header can), both naming the file.
    func image(at index: Int, decoder: ImageDecoder) throws -> RGBImage {
        switch try input(at: index) {
        case .encoded(let bytes, let path):
            let image = try bytes.withUnsafeBytes { try decoder.decode($0, path: path) }
            try Self.checkNotEmpty(width: image.width, height: image.height, path: path)
            return image
        case .decoded(let stored): return stored
        case .grey(let w, let h, let pixels): return RGBImage(width: w, height: h, grayscale: Array(pixels))
        }
    }

    /// Image `index` as 4-byte pixels in `scratch` (the fused transform path's input); the same pixels
    /// and errors as `image(at:decoder:)`.
    func pixels(at index: Int, decoder: ImageDecoder, scratch: PixelScratch) throws -> PixelView {
        switch try input(at: index) {
        case .encoded(let bytes, let path):
            let view = try bytes.withUnsafeBytes { try decoder.decodePixels($0, path: path, into: scratch) }
            try Self.checkNotEmpty(width: view.width, height: view.height, path: path)
            return view
        case .decoded(let stored): return stored.copyPixels(into: scratch)
        case .grey(let w, let h, let pixels):
            return RGBImage(width: w, height: h, grayscale: Array(pixels)).copyPixels(into: scratch)
        }
    }

    private static func checkNotEmpty(width: Int, height: Int, path: String) throws {
        guard width > 0, height > 0 else {
            throw DataFileError(path: path, "decodes to an empty \(width)×\(height) image")
        }
    }
}

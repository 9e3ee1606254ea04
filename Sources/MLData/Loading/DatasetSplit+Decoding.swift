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
            guard image.width > 0, image.height > 0 else {
                throw DataFileError(path: path, "decodes to an empty \(image.width)×\(image.height) image")
            }
            return image
        case .decoded(let stored): return stored
        case .grey(let w, let h, let pixels): return RGBImage(width: w, height: h, grayscale: Array(pixels))
        }
    }
}

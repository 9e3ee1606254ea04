extension DatasetSplit {
    /// Image `index` as RGB: decoded with `decoder`, taken from memory, or a grey image replicated to RGB
    /// (as Pillow's `convert("RGB")`).
    func image(at index: Int, decoder: ImageDecoder) throws -> RGBImage {
        switch try input(at: index) {
        case .encoded(let bytes, let path): try bytes.withUnsafeBytes { try decoder.decode($0, path: path) }
        case .decoded(let stored): stored
        case .grey(let w, let h, let pixels): RGBImage(width: w, height: h, grayscale: Array(pixels))
        }
    }
}

import MLData

extension FuzzTarget {
    /// The JPEG decoder (TurboJPEG) behind `ImageDecoder`.
    static let jpeg = image("jpeg")
    /// The PNG decoder (libpng through the CPNG shim) behind `ImageDecoder`.
    static let png = image("png")

    /// Decodes the input with a limit of 4 megapixels (the default's check is the same code; the lower
    /// limit keeps each execution short).
    private static func image(_ name: String) -> FuzzTarget {
        FuzzTarget(name) { bytes in
            let decoder = ImageDecoder(maximumPixels: 1 << 22)
            _ = try bytes.withUnsafeBytes { try decoder.decode($0, path: "fuzz.\(name)") }
        }
    }
}

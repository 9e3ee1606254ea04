import Foundation

/// Where a split's images come from.
public enum ImageSource: Sendable {
    /// Image files at `paths`, relative to `root`.
    case files(root: URL, paths: [String])
    /// The same files with their (compressed) bytes already in memory (see `DatasetSplit.preloadingFiles()`).
    case preloaded(root: URL, paths: [String], contents: [[UInt8]])
    /// The files decoded (and usually resized) into memory (see `DatasetSplit.preloadingImages`).
    case decoded(root: URL, paths: [String], images: [RGBImage])
    /// Grey images held in memory (Fashion-MNIST).
    case grey(GreyImages)
}

/// Same-sized 8-bit grey images stored one after another, rows top to bottom.
public struct GreyImages: Sendable {
    /// Image width in pixels.
    public let width: Int
    /// Image height in pixels.
    public let height: Int
    /// All pixels, image after image.
    public let pixels: [UInt8]

    /// Images of `height × width` in `pixels` (whose count must be a multiple of the image size).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count % (width * height) == 0,
                     "\(pixels.count) pixels are not whole \(height)×\(width) images")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The number of images.
    public var count: Int { pixels.count / (width * height) }

    /// The pixels of image `index`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        pixels[(index * width * height)..<((index + 1) * width * height)]
    }
}

/// One sample's raw input, before decoding and transforms.
public enum SampleInput: Sendable {
    /// An image file's bytes (JPEG, PNG…) and its path, for error messages.
    case encoded(bytes: [UInt8], path: String)
    /// An image already decoded (and usually resized) in memory.
    case decoded(RGBImage)
    /// A grey image (`height × width` pixels, rows top to bottom).
    case grey(width: Int, height: Int, pixels: ArraySlice<UInt8>)
}

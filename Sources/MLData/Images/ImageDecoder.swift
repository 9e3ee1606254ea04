import CTurboJPEG
import Foundation
import MLFormats

/// Decodes JPEG and PNG files to 8-bit RGB exactly as Pillow's `Image.open(path).convert("RGB")` does.
///
/// JPEGs go through TurboJPEG (the libjpeg-turbo Pillow also links) with libjpeg's default settings, as
/// Pillow uses them: accurate integer IDCT, fancy upsampling, no scaling, no EXIF rotation. Grey JPEGs
/// are replicated to three channels; CMYK and YCCK JPEGs are read as Adobe-inverted CMYK and converted
/// with Pillow's formula (`JPEG.swift`). PNGs go through libpng (`PNG.swift`) with Pillow's 16-bit rules.
///
/// Like Pillow's `MAX_IMAGE_PIXELS`, a decoder refuses an image whose header declares more than
/// `maximumPixels` pixels before decoding anything: a 4 KB file can declare 30,000 × 30,000 pixels
/// (2.7 GB of RGB). Progressive JPEGs are limited to libjpeg-turbo's safe number of scans.
///
/// A decoder owns a TurboJPEG handle and is not thread-safe: give each worker thread its own.
public final class ImageDecoder {
    let turboJPEG: tjhandle
    /// The largest width × height decoded; larger images are refused with `ImageDecodingError.Problem.tooLarge`.
    public let maximumPixels: Int

    /// A decoder with its own TurboJPEG decompressor, refusing images of more than `maximumPixels` pixels.
    public init(maximumPixels: Int = ImageDecoder.defaultMaximumPixels) {
        guard let handle = tjInitDecompress() else { fatalError("TurboJPEG could not allocate a decompressor") }
        turboJPEG = handle
        self.maximumPixels = maximumPixels
    }

    deinit { tjDestroy(turboJPEG) }

    /// Decodes the image file at `path`; throws `ImageDecodingError` naming the file and the problem.
    public func decode(contentsOf path: String) throws -> RGBImage {
        let bytes = try Self.readFile(path)
        return try bytes.withUnsafeBytes { try decode($0, path: path) }
    }

    /// Decodes an encoded image held in memory; `path` names it in errors.
    public func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> RGBImage {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw ImageDecodingError(path: path, problem: .empty)
        }
        let data = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        switch ImageFormat(signature: data) {
        case .jpeg: return try decodeJPEG(data, path: path)
        case .png: return try Self.decodePNG(data, path: path, maximumPixels: maximumPixels)
        case .other(let name): throw ImageDecodingError(path: path, problem: .unsupportedFormat(name))
        }
    }

    /// The whole file at `path`.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            return try FileBytes.read(path)
        } catch {
            throw ImageDecodingError(path: path, problem: .unreadable(error.reason))
        }
    }
}

/// The container format recognised from a file's first bytes.
enum ImageFormat: Equatable {
    case jpeg
    case png
    /// Anything else, named when recognised ("GIF", "BMP", "WebP", "TIFF", "ICO") or "unknown".
    case other(String)

    init(signature bytes: UnsafeBufferPointer<UInt8>) {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && zip(bytes[offset...], prefix).allSatisfy { $0 == $1 }
        }
        if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg }
        else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
        else if starts(Array("GIF8".utf8)) { self = .other("GIF") }
        else if starts(Array("BM".utf8)) { self = .other("BMP") }
        else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { self = .other("WebP") }
        else if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { self = .other("TIFF") }
        else if starts([0x00, 0x00, 0x01, 0x00]) { self = .other("ICO") }
        else { self = .other("unknown") }
    }
}

extension ImageDecoder {
    /// Pillow's `MAX_IMAGE_PIXELS`: 1 GiB of 32-bit pixels, divided by 3.
    public static let pillowMaximumPixels = 89_478_485

    /// The limit of decoders created without an explicit one (the data loaders', `dml search`'s):
    /// `pillowMaximumPixels` unless changed, e.g. at start-up for a dataset of larger images.
    public static var defaultMaximumPixels: Int {
        get { defaultLimit.lock.withLock { defaultLimit.value } }
        set { defaultLimit.lock.withLock { defaultLimit.value = newValue } }
    }

    private static let defaultLimit = DefaultLimit()

    private final class DefaultLimit: @unchecked Sendable {
        let lock = NSLock()
        var value = ImageDecoder.pillowMaximumPixels
    }
}

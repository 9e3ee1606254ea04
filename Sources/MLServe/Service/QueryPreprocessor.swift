import MLData
import MLEngine
import MLServeRequests
import MLTraining

/// Turns an uploaded image into the model's input exactly as `dml search` does: decode (as Pillow),
/// the checkpoint's test transform, then a [3, H, W] tensor in [0, 1] — after checking the declared size.
public struct QueryPreprocessor: Sendable {
    public let pipeline: ImagePipeline
    public let imageSize: Int
    public let maxPixels: Int

    public init(transforms: Checkpoint.Transforms, maxPixels: Int) throws {
        pipeline = transforms.test()
        imageSize = transforms.imageSize
        self.maxPixels = maxPixels
    }

    /// The values (3 × imageSize × imageSize) of the image in `bytes`.
    /// - Throws: `ServiceError` 415 for a body that is not a JPEG or PNG, 413 for an image declaring more
    ///   than `maxPixels` pixels (before decoding it), 400 for one that does not decode.
    public func input(from bytes: [UInt8]) throws -> [Float] {
        let header: ImageHeader
        do { header = try ImageHeader(bytes) } catch {
            throw ServiceError(.unsupportedMediaType, "the body is not an image the service reads: \(error) (send a JPEG or PNG)")
        }
        guard header.pixels <= maxPixels else {
            throw ServiceError(.contentTooLarge, "the \(header.format) declares \(header.width)×\(header.height) = \(header.pixels) pixels; the limit is \(maxPixels)")
        }
        let image: RGBImage
        do {
            image = try bytes.withUnsafeBytes { try ImageDecoder().decode($0, path: "the uploaded image") }
        } catch {
            throw ServiceError(.badRequest, "\(error)")
        }
        var generator = SeededGenerator(seed: 0)
        let tensor = pipeline.tensor(from: image, using: &generator)
        guard tensor.shape == [3, imageSize, imageSize] else {
            throw ServiceError(.badRequest, "the image became a \(tensor.shape) input, the model needs [3, \(imageSize), \(imageSize)]")
        }
        return tensor.scalars
    }
}

import MLEngine
import MLFormats

/// Loads one sample and writes its [C, H, W] values (plain, channels first) into `slot`.
///
/// `generator` is the sample's own stream (derived from the loader's seed, the epoch and the sample's
/// position in the epoch), so random transforms give the same result on any worker thread. A writer is
/// used by one thread only: it may own non-thread-safe state such as an `ImageDecoder`.
public typealias SampleWriter = (_ index: Int, _ generator: inout SeededGenerator,
                                 _ slot: UnsafeMutableBufferPointer<Float>) throws -> Void

extension DatasetSplit {
    /// Makes writers that decode image `index` (or take it from memory; grey images are replicated to RGB),
    /// apply `pipeline`, check the result is `height × width`, and write it as [3, H, W] values in [0, 1]
    /// (torchvision's `ToTensor`).
    public func imageWriters(height: Int, width: Int, pipeline: ImagePipeline) -> @Sendable () -> SampleWriter {
        { [self] in
            let decoder = ImageDecoder()
            return { index, generator, slot in
                let result = pipeline.apply(to: try image(at: index, decoder: decoder), using: &generator)
                guard result.width == width, result.height == height, let target = slot.baseAddress,
                      slot.count == 3 * height * width else {
                    throw DataFileError(path: describe(index),
                                        "transformed image is \(result.width)×\(result.height), the batch needs \(width)×\(height)")
                }
                result.write(channelsFirstTo: target)
            }
        }
    }
}

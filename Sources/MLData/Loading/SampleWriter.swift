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
    ///
    /// Train pipelines of the presets' shape run fused (`FusedPipeline`: only the pixels the crop reads,
    /// byte-identical results); other pipelines run step by step.
    public func imageWriters(height: Int, width: Int, pipeline: ImagePipeline) -> @Sendable () -> SampleWriter {
        if let fused = FusedPipeline(pipeline) { return fusedWriters(height: height, width: width, fused: fused) }
        return { [self] in
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

extension DatasetSplit {
    /// `imageWriters` for a fused pipeline: decoding to 4-byte pixels and transforming in per-thread buffers.
    private func fusedWriters(height: Int, width: Int, fused: FusedPipeline) -> @Sendable () -> SampleWriter {
        { [self] in
            let decoder = ImageDecoder()
            let scratch = FusedPipeline.Scratch()
            return { index, generator, slot in
                guard fused.crop.width == width, fused.crop.height == height, let target = slot.baseAddress,
                      slot.count == 3 * height * width else {
                    throw DataFileError(path: describe(index), "transformed image is \(fused.crop.width)×"
                                        + "\(fused.crop.height), the batch needs \(width)×\(height)")
                }
                let image = try pixels(at: index, decoder: decoder, scratch: scratch.source)
                fused.write(image, using: &generator, scratch: scratch, to: target)
            }
        }
    }
}

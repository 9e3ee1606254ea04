/// Loads one sample and writes its [C, H, W] values (plain, channels first) into `slot`.
///
/// `generator` is the sample's own stream (derived from the loader's seed, the epoch and the sample's
/// position in the epoch), so random transforms give the same result on any worker thread. A writer is
/// used by one thread only: it may own non-thread-safe state such as an `ImageDecoder`.
public typealias SampleWriter = (_ index: Int, _ generator: inout SeededGenerator,
                                 _ slot: UnsafeMutableBufferPointer<Float>) throws -> Void

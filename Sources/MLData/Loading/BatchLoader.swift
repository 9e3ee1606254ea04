import Foundation
import MLEngine

/// Loads batches of samples on worker threads, ahead of the training step.
///
/// Each sample gets its own generator from (seed, epoch, position in the epoch), so the batches are the
/// same for a given seed whatever the number of workers. Up to `prefetch` batches are prepared while the
/// caller works on the current one. Batches are [B, C, H, W] plain Float tensors with their labels.
public final class BatchLoader: Sendable {
    /// Loading settings.
    public struct Options: Sendable {
        /// Worker threads.
        public var workers: Int
        /// Batches prepared ahead of the one being consumed.
        public var prefetch: Int
        /// Log a sample that fails and leave it out of its batch, instead of stopping with its error.
        public var skipBadImages: Bool
        /// The seed of the per-sample random streams.
        public var seed: UInt64

        public init(workers: Int = 2, prefetch: Int = 2, skipBadImages: Bool = false, seed: UInt64 = 0) {
            self.workers = workers
            self.prefetch = prefetch
            self.skipBadImages = skipBadImages
            self.seed = seed
        }

        /// `requested` loader threads when positive, else one per two cores (the arithmetic has the rest).
        public static func workers(requested: Int?) -> Int {
            if let requested, requested > 0 { return requested }
            return max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        }
    }

    /// One loaded batch.
    public struct Batch: Sendable {
        /// [B, C, H, W] sample values.
        public let images: Tensor
        /// The samples' labels.
        public let labels: [Int]
        /// The samples' indices in the split.
        public let indices: [Int]
        /// Samples left out because they failed to load (`skipBadImages`), by name.
        public let skipped: [String]
    }

    let labels: [Int]
    let sampleShape: [Int]
    let options: Options
    let describe: @Sendable (Int) -> String
    let makeWriter: @Sendable () -> SampleWriter

    /// A loader of samples with `labels`, each of `sampleShape` ([C, H, W]).
    ///
    /// - Parameters:
    ///   - labels: each sample's label, by sample index.
    ///   - sampleShape: the shape every sample is written in, [C, H, W].
    ///   - options: worker threads, prefetch depth, bad-image policy and the samples' seed.
    ///   - describe: names sample `index` in logs and errors (its file).
    ///   - makeWriter: makes one `SampleWriter` per worker thread.
    public init(labels: [Int], sampleShape: [Int], options: Options = Options(),
                describe: @escaping @Sendable (Int) -> String, makeWriter: @escaping @Sendable () -> SampleWriter) {
        precondition(options.workers >= 1 && options.prefetch >= 1,
                     "a loader needs at least one worker and a prefetch depth of one, got \(options.workers), \(options.prefetch)")
        self.labels = labels
        self.sampleShape = sampleShape
        self.options = options
        self.describe = describe
        self.makeWriter = makeWriter
    }

    /// A loader of `split`'s images made `height × width` by `pipeline` (see `DatasetSplit.imageWriters`).
    public convenience init(split: DatasetSplit, height: Int, width: Int, pipeline: ImagePipeline,
                            options: Options = Options()) {
        self.init(labels: split.labels, sampleShape: [3, height, width], options: options,
                  describe: { split.describe($0) },
                  makeWriter: split.imageWriters(height: height, width: width, pipeline: pipeline))
    }

    /// Starts loading `batches` (sample indices) of `epoch`; read them in order from the returned stream.
    ///
    /// With `parts` > 1 only the `part`-th of `parts` equal consecutive slices of every batch is loaded (the
    /// rows one process of a data-parallel run trains on), each sample still keyed by its position in the
    /// whole epoch, so it gets the random numbers it would get in an unsliced load. Every batch's size must
    /// be a multiple of `parts`.
    public func load(_ batches: [[Int]], epoch: Int, part: Int = 0, of parts: Int = 1) -> BatchStream {
        precondition(parts >= 1 && (0..<parts).contains(part), "part \(part) of \(parts)")
        precondition(batches.allSatisfy { $0.count % parts == 0 }, "batches of \(Set(batches.map(\.count)).sorted()) samples cannot be cut into \(parts) parts")
        var start = 0
        let sliced = batches.map { batch in
            let size = batch.count / parts
            defer { start += batch.count }
            return (indices: Array(batch[(part * size)..<((part + 1) * size)]), position: start + part * size)
        }
        return BatchStream(loader: self, batches: sliced.map(\.indices), positions: sliced.map(\.position), epoch: epoch)
    }

    /// The random stream of the sample at `position` in `epoch`.
    func generator(epoch: Int, position: Int) -> SeededGenerator {
        SeededGenerator(seed: options.seed).substream(0x4C4F_4144).substream(UInt64(epoch)).substream(UInt64(position))
    }
}

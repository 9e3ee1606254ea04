import Foundation
import MLEngine
import MLModels
import MLTraining

/// Averages the gradients of a set of parameters over the processes of a communicator after each backward
/// pass, overlapping the communication with the backward as PyTorch's DistributedDataParallel does.
///
/// Installed as the `GradientObserver` of a backward pass, it learns from each finished layer which
/// gradients are complete. Parameters are packed in flat fp32 buckets in the order their gradients become
/// ready (`BucketLayout`); as soon as a bucket is full its gradients are copied in and its sum over the
/// processes starts (`MPI_Iallreduce`), driven by `CollectiveProgress` while the backward goes on with
/// earlier layers. `reduce` starts what is left, waits, and writes the average back into every
/// gradient. The layout comes from the first pass, whose buckets all start in `reduce` (nothing overlaps
/// then); every process must build the same one, which the first `reduce` checks.
///
/// Buckets start in layout order on every process (bucket k only after buckets 0..<k), as MPI requires of
/// collectives on one communicator; this communicator is a duplicate of the caller's, so the buckets never
/// meet another collective in flight.
public final class GradientBucketer: GradientAverager, @unchecked Sendable {
    /// What one `reduce` measured.
    public struct Timing: Sendable {
        /// From the first bucket's start to the last allreduce's completion.
        public var communication: Duration = .zero
        /// How long `reduce` waited for the allreduces after the backward had ended: the part of
        /// `communication` not hidden behind the backward.
        public var exposed: Duration = .zero
        /// Copying gradients into the buckets and the averages back.
        public var copying: Duration = .zero
        /// Buckets started before `reduce` was called (during the backward).
        public var bucketsStartedEarly = 0
    }

    /// The parameters averaged, in the caller's order.
    public let parameters: [Parameter]
    private let sizes: [Int]
    private let communicator: Communicator
    private let progress: CollectiveProgress
    private let capacity: Int
    private let firstCapacity: Int
    private var layout: BucketLayout?
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private let lock = NSLock()
    // Guarded by `lock` (observer callbacks arrive on the backward's thread; `reduce` on the caller's).
    private var index: [ObjectIdentifier: Int] = [:]
    private var layerParameters: [ObjectIdentifier: [Int]] = [:]
    private var isReady: [Bool]
    private var readyOrder: [Int] = []
    private var waiting: [Int] = []
    private var nextBucket = 0
    private var firstStart: ContinuousClock.Instant?
    private var copying: Duration = .zero

    /// The timing of the last `reduce`.
    public private(set) var lastTiming = Timing()

    /// A bucketer averaging `parameters`' gradients (trainable, plain) over `communicator`'s processes,
    /// in buckets of `bucketBytes` (the first of at most 1 MiB, or `bucketBytes` if smaller), with
    /// `driver` progressing the allreduces.
    /// Every process must pass the same parameters in the same order.
    public init(parameters: [Parameter], communicator: Communicator, bucketBytes: Int = 25 << 20,
                driver: ProgressDriver = .default) throws {
        precondition(parameters.allSatisfy(\.isTrainable), "a gradient bucketer needs trainable parameters")
        self.parameters = parameters
        sizes = parameters.map(\.value.count)
        self.communicator = try communicator.duplicate()
        capacity = max(1, bucketBytes / MemoryLayout<Float>.size)
        firstCapacity = min(capacity, (1 << 20) / MemoryLayout<Float>.size)
        if case .thread = driver, !MPIRuntime.allowsCallsFromAnyThread {
            throw DistributedError.unsupported("the MPI library does not allow calls from a communication thread "
                                               + "(MPI_THREAD_SERIALIZED); use the between-layers progress driver")
        }
        progress = CollectiveProgress(communicator: self.communicator, driver: driver)
        isReady = Array(repeating: false, count: parameters.count)
        for (position, parameter) in parameters.enumerated() { index[ObjectIdentifier(parameter)] = position }
    }

    deinit {
        progress.stop()
        for buffer in buffers { buffer.deallocate() }
    }

    /// The number of buckets (0 before the first `reduce`).
    public var bucketCount: Int { layout?.buckets.count ?? 0 }

    public func backwardFinished(_ layer: any Layer) {
        lock.lock()
        let key = ObjectIdentifier(layer)
        let positions = layerParameters[key] ?? {
            let positions = layer.trainableParameters.compactMap { index[ObjectIdentifier($0.parameter)] }
            layerParameters[key] = positions
            return positions
        }()
        lock.unlock()
        markReady(positions)
        progress.poll()
    }

    /// Marks `parameters`' gradients complete (those a backward does not report, such as a loss's).
    public func gradientsReady(_ parameters: [Parameter]) {
        markReady(lock.withLock { parameters.compactMap { index[ObjectIdentifier($0)] } })
    }

    /// Completes the pass: marks every gradient ready, starts the remaining buckets, waits for all, and
    /// replaces each gradient by its mean over the processes. `scalars` are summed over the processes with
    /// the same collective and returned (each process's loss, a stop flag: decisions that must be taken
    /// together travel with the step's gradients). Throws the MPI error of a failed allreduce, or
    /// `DistributedError.mismatch` when the processes built different bucket layouts.
    public func reduce(adding scalars: [Double] = []) throws -> [Double] {
        let ended = ContinuousClock.now
        let early = lock.withLock { nextBucket }
        if layout == nil { try buildLayout() }
        markReady(Array(parameters.indices))
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: max(1, scalars.count))
        defer { sums.deallocate() }
        sums.initialize(from: scalars, count: scalars.count)
        if !scalars.isEmpty { progress.start(sums, count: scalars.count, kind: .double) }
        let completed = try progress.waitAll()
        let unpackStart = ContinuousClock.now
        let scale = 1 / Float(communicator.size)
        for (number, bucket) in layout!.buckets.enumerated() {
            for (position, offset) in zip(bucket.parameters, bucket.offsets) {
                let source = buffers[number] + offset
                parameters[position].gradient!.withUnsafeMutableStorage { gradient in
                    for i in 0..<sizes[position] { gradient[i] = source[i] * scale }
                }
            }
        }
        lock.withLock {
            copying += .now - unpackStart
            lastTiming = Timing(communication: completed - (firstStart ?? ended), exposed: max(.zero, completed - ended),
                                copying: copying, bucketsStartedEarly: early)
            isReady = Array(repeating: false, count: parameters.count)
            waiting = layout!.buckets.map { $0.parameters.count }
            nextBucket = 0
            firstStart = nil
            copying = .zero
        }
        return Array(UnsafeBufferPointer(start: sums, count: scalars.count))
    }

    /// Marks parameters ready and starts every bucket whose turn has come and whose gradients are all
    /// ready. Before the layout exists it only records the order.
    private func markReady(_ positions: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        for position in positions where !isReady[position] {
            isReady[position] = true
            if let layout { waiting[layout.bucketOf[position]] -= 1 } else { readyOrder.append(position) }
        }
        guard let layout else { return }
        while nextBucket < layout.buckets.count && waiting[nextBucket] == 0 {
            start(bucket: nextBucket, of: layout)
            nextBucket += 1
        }
    }

    /// Copies bucket `number`'s gradients into its buffer and starts its allreduce. Called with the lock held.
    private func start(bucket number: Int, of layout: BucketLayout) {
        let started = ContinuousClock.now
        if firstStart == nil { firstStart = started }
        let bucket = layout.buckets[number]
        for (position, offset) in zip(bucket.parameters, bucket.offsets) {
            parameters[position].gradient!.withUnsafeStorage { gradient in
                (buffers[number] + offset).update(from: gradient.baseAddress!, count: sizes[position])
            }
        }
        copying += .now - started
        progress.start(buffers[number], count: bucket.count, kind: .float)
    }

    /// The layout from the first pass's order (parameters never reported last, in reverse order), checked
    /// to be the same on every process, and its buffers.
    private func buildLayout() throws {
        let order = lock.withLock {
            readyOrder + parameters.indices.reversed().filter { !isReady[$0] }
        }
        let layout = BucketLayout(order: order, sizes: sizes, capacity: capacity, firstCapacity: firstCapacity)
        let fingerprint = layout.fingerprint
        let extremes = try communicator.allReduce([fingerprint, -fingerprint], .maximum)
        guard extremes[0] == fingerprint && extremes[1] == -fingerprint else {
            throw DistributedError.mismatch("the processes' gradient buckets differ (the same model and parameters "
                                            + "must be trained on every rank)")
        }
        buffers = layout.buckets.map { UnsafeMutablePointer<Float>.allocate(capacity: max(1, $0.count)) }
        lock.withLock {
            self.layout = layout
            isReady = Array(repeating: false, count: parameters.count)
            waiting = layout.buckets.map { $0.parameters.count }
            nextBucket = 0
        }
    }
}

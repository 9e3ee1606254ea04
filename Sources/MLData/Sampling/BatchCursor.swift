/// Where a training run is in its sampler's batches: an epoch's batch list and how many were taken.
///
/// `state` is plain data (Codable) saved with a checkpoint; a cursor built from it continues with the same
/// batches even if the sampler's algorithm changed since, because the batch list itself is stored.
public struct BatchCursor: Sendable {
    /// The resumable state: the epoch, its batches, and how many of them were taken.
    public struct State: Codable, Equatable, Sendable {
        public var epoch: Int
        public var position: Int
        public var batches: [[Int]]
    }

    /// The sampler that makes each new epoch's batches.
    public let sampler: any BatchSampler
    /// The current epoch's batches and position.
    public private(set) var state: State

    /// A cursor at the start of `epoch`.
    public init(sampler: any BatchSampler, epoch: Int = 0) {
        self.sampler = sampler
        state = State(epoch: epoch, position: 0, batches: sampler.batches(epoch: epoch))
    }

    /// A cursor resumed from a saved `state`.
    ///
    /// - Throws: `SamplerError` when the state's position is outside its batch list, or its batches are
    ///   not the ones the sampler makes for its epoch (a checkpoint of other data or settings, or a
    ///   damaged one: its indices would be used to read samples).
    public init(sampler: any BatchSampler, resuming state: State) throws {
        guard (0...state.batches.count).contains(state.position) else {
            throw SamplerError("saved sampler position \(state.position) is outside its \(state.batches.count) batches")
        }
        guard state.epoch >= 0, state.batches == sampler.batches(epoch: state.epoch) else {
            throw SamplerError("saved sampler batches of epoch \(state.epoch) are not the ones the sampler makes for it "
                + "(a checkpoint of other data or settings, or a damaged one)")
        }
        self.sampler = sampler
        self.state = state
    }

    /// The next batch of the current epoch, or nil when the epoch is over.
    public mutating func next() -> [Int]? {
        guard state.position < state.batches.count else { return nil }
        defer { state.position += 1 }
        return state.batches[state.position]
    }

    /// Moves to the start of the next epoch.
    public mutating func startNextEpoch() {
        state = State(epoch: state.epoch + 1, position: 0, batches: sampler.batches(epoch: state.epoch + 1))
    }
}

/// What keeps non-blocking allreduces moving while the backward computes (MPI advances a collective only
/// inside MPI calls).
public enum ProgressDriver: Equatable, Sendable {
    /// A communication thread that tests the running allreduces every `pollMicroseconds` and sleeps in
    /// between (and tests without pause while the caller waits for them). Needs an MPI library with
    /// `MPI_THREAD_SERIALIZED`.
    case thread(pollMicroseconds: Int)
    /// The training thread itself, testing after every layer's backward: no extra thread, but no progress
    /// during a long layer.
    case betweenLayers

    /// The default: a communication thread polling every 200 µs.
    public static let `default` = ProgressDriver.thread(pollMicroseconds: 200)
}

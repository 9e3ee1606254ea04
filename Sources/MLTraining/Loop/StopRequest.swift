import Foundation

/// A flag set on SIGINT, SIGTERM or SIGUSR1: the trainer writes `last` and stops after the current iteration
/// (over MPI, after the step at which the processes agree on it).
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    /// A request not yet set.
    public init() {}

    /// Whether a stop was requested.
    public var isSet: Bool { lock.withLock { flag } }

    /// Requests a stop.
    public func set() { lock.withLock { flag = true } }

    /// Sets this request on SIGINT, SIGTERM and SIGUSR1 (which `mpirun` forwards to every rank without
    /// killing them after); a second signal ends the process at once.
    public func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM, SIGUSR1] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isSet { exit(128 + signalNumber) }
                self.set()
            }
            source.resume()
            sources.append(source)
        }
    }
}

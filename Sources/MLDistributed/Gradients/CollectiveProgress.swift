import CMPI
import Foundation

/// Starts non-blocking allreduces (`MPI_Iallreduce`, sum, in place) and drives them to completion as its
/// `ProgressDriver` says:
/// - `.thread`: a communication thread starts each allreduce as soon as it is queued and calls
///   `MPI_Testall` every `pollMicroseconds` while any is in flight, sleeping in between so it takes little
///   from the compute thread on the same core; while the caller waits in `waitAll` it polls without pause.
///   Its calls and the caller's are serialised by `MPIRuntime`'s lock.
/// - `.betweenLayers`: the caller's thread starts each allreduce at once, and `poll()` (which the gradient
///   bucketer calls after every layer's backward) tests them.
final class CollectiveProgress: @unchecked Sendable {
    /// One queued or running allreduce.
    private struct Operation {
        let buffer: UnsafeMutableRawPointer
        let count: Int32
        let datatype: MPI_Datatype
        var request: MPI_Request?
    }

    let driver: ProgressDriver
    private let communicator: Communicator
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queued: [Operation] = []
    private var running: [Operation] = []
    private var waiting = false
    private var stopping = false
    private var failure: DistributedError?
    /// When the last running allreduce completed.
    private var lastCompletion: ContinuousClock.Instant?

    init(communicator: Communicator, driver: ProgressDriver) {
        self.communicator = communicator
        self.driver = driver
        if case .thread(let interval) = driver {
            let thread = Thread { [self] in drive(pollMicroseconds: interval) }
            thread.name = "dml-allreduce"
            thread.start()
        }
    }

    /// Stops the communication thread (after the running allreduces complete).
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Starts summing `count` values at `buffer` over the communicator, in place. Every process must start
    /// the same allreduces in the same order; the buffer must stay untouched until `waitAll` returns.
    /// A failure to start or complete is reported by the next `waitAll`.
    func start(_ buffer: UnsafeMutableRawPointer, count: Int, kind: MPIScalarKind) {
        let operation = Operation(buffer: buffer, count: Int32(count), datatype: kind.datatype)
        condition.lock()
        defer { condition.unlock() }
        queued.append(operation)
        switch driver {
        case .thread: condition.broadcast()
        case .betweenLayers: advance()
        }
    }

    /// Tests the running allreduces once (the between-layers driver's progress; nothing for the thread's).
    func poll() {
        guard driver == .betweenLayers else { return }
        condition.withLock { advance() }
    }

    /// Waits until every started allreduce has completed; returns when the last one did. Throws the MPI
    /// error that stopped one.
    func waitAll() throws -> ContinuousClock.Instant {
        condition.lock()
        defer { condition.unlock() }
        switch driver {
        case .thread:
            waiting = true
            condition.broadcast()
            while failure == nil && !(queued.isEmpty && running.isEmpty) { condition.wait() }
            waiting = false
        case .betweenLayers:
            while failure == nil && !(queued.isEmpty && running.isEmpty) { advance() }
        }
        if let failure { throw failure }
        return lastCompletion ?? .now
    }

    /// The communication thread: starts what is queued, tests what runs, sleeps `pollMicroseconds` between
    /// tests unless the caller is waiting, and sleeps on the condition when there is nothing to do.
    private func drive(pollMicroseconds: Int) {
        condition.lock()
        while true {
            while queued.isEmpty && running.isEmpty && !stopping { condition.wait() }
            if stopping && queued.isEmpty && running.isEmpty { break }
            advance()
            if failure != nil || (queued.isEmpty && running.isEmpty) { condition.broadcast() }
            if !running.isEmpty && !waiting {
                condition.unlock()
                usleep(UInt32(pollMicroseconds))
                condition.lock()
            }
        }
        condition.unlock()
    }

    /// Starts the queued allreduces and tests the running ones once; a failed call becomes `failure` and
    /// abandons the rest. Called with the lock held.
    private func advance() {
        do {
            for operation in queued { running.append(try launch(operation)) }
            queued.removeAll()
            try testRunning()
        } catch {
            failure = error as? DistributedError ?? .unsupported("\(error)")
            queued.removeAll()
            running.removeAll()
        }
    }

    /// `operation` started with `MPI_Iallreduce`.
    private func launch(_ operation: Operation) throws -> Operation {
        var started = operation
        var request: MPI_Request? = cmpi_request_null()
        try MPIRuntime.call("MPI_Iallreduce") {
            MPI_Iallreduce(cmpi_in_place(), operation.buffer, operation.count, operation.datatype, cmpi_sum(),
                           communicator.handle, &request)
        }
        started.request = request
        return started
    }

    /// Tests every running allreduce once and drops the completed ones. Called with the lock held.
    private func testRunning() throws {
        guard !running.isEmpty else { return }
        var requests = running.map(\.request)
        var done: Int32 = 0
        try MPIRuntime.call("MPI_Testall") {
            MPI_Testall(Int32(requests.count), &requests, &done, cmpi_statuses_ignore())
        }
        if done != 0 {
            running.removeAll()
            lastCompletion = .now
        }
    }
}

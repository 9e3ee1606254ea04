import CMPI
import Foundation

/// Starts non-blocking allreduces (`MPI_Iallreduce`, sum, in place) and drives them to completion as its
/// `ProgressDriver` says:
/// - `.thread`: a communication thread starts each allreduce as soon as it is queued and calls
///   `MPI_Test` every `pollMicroseconds` while any is in flight, sleeping in between so it takes little
///   from the compute thread on the same core; while the caller waits in `waitAll` it polls every 50 µs.
///   Its calls and the caller's are serialised by `MPIRuntime`'s lock.
/// - `.betweenLayers`: the caller's thread starts each allreduce at once, and `poll()` (which the gradient
///   bucketer calls after every layer's backward) tests them.
final class CollectiveProgress: @unchecked Sendable {
    /// One queued or running allreduce; `request` is its slot in C memory (see `cmpi_request_new`).
    private struct Operation {
        let buffer: UnsafeMutableRawPointer
        let count: Int32
        let datatype: MPI_Datatype
        /// Set once started.
        var request: UnsafeMutableRawPointer?
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
            while failure == nil && !(queued.isEmpty && running.isEmpty) {
                advance()
                if !running.isEmpty { usleep(50) }
            }
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
            if !running.isEmpty {
                condition.unlock()
                usleep(UInt32(waiting ? min(pollMicroseconds, 50) : pollMicroseconds))
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
            for operation in running { cmpi_request_delete(operation.request) }
            running.removeAll()
        }
    }

    /// `operation` started with `MPI_Iallreduce`.
    private func launch(_ operation: Operation) throws -> Operation {
        guard let request = cmpi_request_new() else { throw DistributedError.unsupported("no memory for an MPI request") }
        var started = operation
        started.request = request
        do {
            try MPIRuntime.call("MPI_Iallreduce") {
                cmpi_iallreduce(operation.buffer, operation.count, operation.datatype, cmpi_sum(), communicator.handle, request)
            }
        } catch {
            cmpi_request_delete(request)
            throw error
        }
        return started
    }

    /// Tests every running allreduce once and drops the completed ones. Called with the lock held.
    private func testRunning() throws {
        var stillRunning: [Operation] = []
        for operation in running {
            var done: Int32 = 0
            try MPIRuntime.call("MPI_Test") { cmpi_test(operation.request, &done) }
            if done != 0 { cmpi_request_delete(operation.request) } else { stillRunning.append(operation) }
        }
        if stillRunning.isEmpty && !running.isEmpty { lastCompletion = .now }
        running = stillRunning
    }
}

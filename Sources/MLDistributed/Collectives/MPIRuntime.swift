import CMPI
import Foundation

/// The MPI library's process-wide state: initialisation (once), the lock that serialises calls, finalisation
/// and abort.
///
/// MPI is initialised with `MPI_THREAD_SERIALIZED`: any thread may call MPI, never two at once. Every call
/// of this module goes through `MPIRuntime.call`, which holds one lock for the duration of one call, so a
/// gradient bucketer's communication thread and the training thread can both use the library. Collectives
/// are started non-blocking and tested (`complete`), so no call holds the lock while it waits for another
/// process.
public enum MPIRuntime {
    /// Serialises the MPI calls.
    private static let callLock = NSLock()
    /// Guards `world` and `threadLevel` (never held during a call, so `abort` cannot wait on a stuck one).
    private static let lock = NSLock()
    nonisolated(unsafe) private static var world: Communicator?
    nonisolated(unsafe) private static var threadLevel: Int32 = 0

    /// Initialises MPI (the first call only) and returns the communicator of all processes, with errors
    /// returned to the caller (then thrown as `DistributedError.mpi`) instead of aborting inside the library.
    public static func start() throws -> Communicator {
        try lock.withLock {
            if let world { return world }
            var provided: Int32 = 0
            var argc: Int32 = 0
            let code = MPI_Init_thread(&argc, nil, cmpi_thread_serialized(), &provided)
            try check(code, "MPI_Init_thread")
            threadLevel = provided
            try check(MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()), "MPI_Comm_set_errhandler")
            let communicator = try Communicator(handle: cmpi_comm_world(), owned: false)
            world = communicator
            return communicator
        }
    }

    /// Whether MPI is started and not yet finished (a communicator released after `finish` frees nothing).
    static var isActive: Bool { lock.withLock { world != nil } }

    /// Whether the library lets a second thread call it (`MPI_THREAD_SERIALIZED` or more was provided);
    /// false before `start()`.
    public static var allowsCallsFromAnyThread: Bool {
        lock.withLock { world != nil && threadLevel >= cmpi_thread_serialized() }
    }

    /// Finalises MPI after every process's last collective (a collective call itself); nothing after it
    /// may call MPI. Does nothing when MPI was never started.
    public static func finish() {
        guard lock.withLock({ world.take() != nil }) else { return }
        callLock.withLock { _ = MPI_Finalize() }
    }

    /// Ends every process of the job with `code` (`MPI_Abort`): the others would otherwise wait forever in
    /// their next collective. Without MPI started, exits this process. Does not wait for a call another
    /// thread is blocked in.
    public static func abort(code: Int32) -> Never {
        if lock.withLock({ world != nil }) { _ = MPI_Abort(cmpi_comm_world(), code) }
        exit(code)
    }

    /// Runs one MPI call under the process-wide lock; throws `DistributedError.mpi` naming `name` when it
    /// does not return `MPI_SUCCESS`.
    static func call(_ name: String, _ body: () -> Int32) throws {
        let code = callLock.withLock(body)
        try check(code, name)
    }

    /// Starts a non-blocking call (`start` gets the request to fill) and waits for it, testing every 50 µs
    /// under the lock. MPI's blocking calls spin on their core while a slower process catches up (rank 0
    /// computing metrics, writing a checkpoint); on cores shared with other work that spinning slows the
    /// very process being waited for, and it would hold the lock from a communication thread.
    static func complete(_ name: String, _ start: (UnsafeMutableRawPointer) -> Int32) throws {
        guard let request = cmpi_request_new() else { throw DistributedError.unsupported("no memory for an MPI request") }
        defer { cmpi_request_delete(request) }
        try call(name) { start(request) }
        var done: Int32 = 0
        while true {
            try call(name + " (MPI_Test)") { cmpi_test(request, &done) }
            if done != 0 { return }
            usleep(50)
        }
    }

    /// Throws when `code` is not `MPI_SUCCESS`, with the library's message for it.
    static func check(_ code: Int32, _ name: String) throws {
        guard code != MPI_SUCCESS else { return }
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        var errorClass: Int32 = 0
        _ = MPI_Error_class(code, &errorClass)
        let message = MPI_Error_string(code, &buffer, &length) == MPI_SUCCESS
            ? String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "unknown error"
        throw DistributedError.mpi(call: name, code: errorClass, message: message)
    }
}

extension MPIRuntime {
    /// Runs `body` on a process of a job; when it throws, prints the error naming `rank` on standard error
    /// and aborts the whole job, so the other processes end with an error instead of waiting forever in
    /// their next collective.
    public static func abortingOnError<R>(rank: Int, _ body: () throws -> R) -> R {
        do {
            return try body()
        } catch {
            FileHandle.standardError.write(Data("Error on rank \(rank): \(error)\n".utf8))
            abort(code: 1)
        }
    }
}

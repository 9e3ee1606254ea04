/// What went wrong in a multi-process run.
public enum DistributedError: Error, CustomStringConvertible, Equatable {
    /// The launcher's environment does not describe a valid launch.
    case launch(String)
    /// An MPI call failed: the call, the library's error class and message.
    case mpi(call: String, code: Int32, message: String)
    /// The processes disagree about something they must share (a bucket layout, a batch size).
    case mismatch(String)
    /// The MPI library cannot do what is needed (e.g. calls from a second thread).
    case unsupported(String)

    public var description: String {
        switch self {
        case .launch(let message): "MPI launch: \(message)"
        case .mpi(let call, let code, let message): "\(call) failed (MPI error \(code)): \(message)"
        case .mismatch(let message): "ranks disagree: \(message)"
        case .unsupported(let message): "MPI: \(message)"
        }
    }
}

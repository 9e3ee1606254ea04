import CDNNL
import COpenMP

/// The oneDNN CPU engine and stream every kernel runs on, and the OpenMP thread count they use.
///
/// oneDNN objects are created once per process; primitives execute in order on the one stream.
public final class Engine: @unchecked Sendable {
    /// The process's engine.
    public static let shared = Engine()

    let engine: dnnl_engine_t
    let stream: dnnl_stream_t

    private init() {
        var engine: dnnl_engine_t?
        var stream: dnnl_stream_t?
        Engine.check(dnnl_engine_create(&engine, dnnl_cpu, 0), "creating the CPU engine")
        Engine.check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "creating the stream")
        self.engine = engine!
        self.stream = stream!
    }

    /// The number of threads oneDNN's parallel regions use (OpenMP).
    public static var threadCount: Int {
        get { Int(dml_omp_get_max_threads()) }
        set { dml_omp_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Whether 3×3 stride-1 convolutions let oneDNN choose their algorithm (`dnnl_convolution_auto`, which
    /// picks Winograd with blocked layouts: about 2× faster, slightly less accurate, up to ~70 MB of
    /// scratchpad per layer). Read when a convolution runs; default false (the direct algorithm).
    nonisolated(unsafe) public static var useWinograd = false

    /// oneDNN's version as "major.minor.patch".
    public static var libraryVersion: String {
        let version = dnnl_version()!.pointee
        return "\(version.major).\(version.minor).\(version.patch)"
    }

    /// Stops on a failed oneDNN call. Kernels validate shapes before calling oneDNN, so a failure here
    /// is a programmer error (an unsupported descriptor), not bad user input.
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        precondition(status == dnnl_success, "oneDNN failed \(what()): status \(status.rawValue)")
    }

    /// Waits for every primitive submitted to the stream.
    func wait() {
        Engine.check(dnnl_stream_wait(stream), "waiting for the stream")
    }
}

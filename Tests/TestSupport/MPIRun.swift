import Foundation

/// `mpirun -np N` as the tests start it: two local ranks over TCP on the loopback interface (Open MPI skips
/// `lo` and Debian's build prefers UCX unless told otherwise), allowed to run as root, one OpenMP thread
/// per rank with the passive wait policy, no core binding (other tests share the cores).
package enum MPIRun {
    /// The `mpirun` options before the program.
    package static func options(processes: Int) -> [String] {
        (getuid() == 0 ? ["--allow-run-as-root"] : []) + [
            "-np", String(processes), "--bind-to", "none",
            "--mca", "pml", "ob1", "--mca", "btl", "tcp,self",
            "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
            "-x", "OMP_NUM_THREADS=1", "-x", "OMP_WAIT_POLICY=passive",
        ]
    }

    /// `mpirun` on the PATH; a missing one is an error (the project's install script installs it).
    package static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw MPIRunError(description: "mpirun is not installed: run tools/install-deps.sh (openmpi-bin)")
    }

    /// The program `name` built beside the test binary (`swift test` builds every product).
    package static func builtProgram(_ name: String) throws -> URL {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let url = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw MPIRunError(description: "no \(name) executable at \(url.path): run `swift build` first")
        }
        return url
    }

    /// Starts `mpirun … program arguments` with its output (both streams) in `log`.
    package static func start(_ program: URL, _ arguments: [String], processes: Int = 2, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = options(processes: processes) + [program.path] + arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// What a finished job did.
    package struct Outcome {
        package let status: Int32
        package let output: String
        package let seconds: Double
    }

    /// Runs `mpirun … program arguments` to its end, or kills it and its ranks after `timeout` seconds (the
    /// status is then −1), and returns its status, output and duration.
    package static func run(_ program: URL, _ arguments: [String], processes: Int = 2, timeout: Double = 300,
                            log: URL) throws -> Outcome {
        let started = Date()
        let process = try start(program, arguments, processes: processes, log: log)
        let deadline = started.addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let timedOut = process.isRunning
        if timedOut {
            // mpirun inherits the test thread's blocked signals, so its ranks are killed first, then mpirun.
            let pid = process.processIdentifier
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGKILL) }
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Outcome(status: timedOut ? -1 : process.terminationStatus, output: output,
                       seconds: Date().timeIntervalSince(started))
    }
}

/// A test's MPI job could not start.
package struct MPIRunError: Error, CustomStringConvertible {
    package let description: String
}

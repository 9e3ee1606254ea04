import Foundation
import MLFormats
import TestSupport
import Testing

/// A scenario of the `MLDistributedChecks` program run by `mpirun -np 2`, and the files its ranks wrote.
struct CheckJob {
    let directory: TemporaryDirectory
    let outcome: MPIRun.Outcome

    /// Runs `scenario` on `input` (a file or folder the test made) with `option`, failing the test (with the
    /// job's output) when the job does not end successfully within `timeout` seconds.
    init(_ scenario: String, input: URL? = nil, option: String? = nil, in directory: TemporaryDirectory,
         timeout: Double = 300) throws {
        self.directory = directory
        let program = try MPIRun.builtProgram("MLDistributedChecks")
        let arguments = [scenario, input?.path ?? "/dev/null", directory.url.appendingPathComponent("out").path]
            + (option.map { [$0] } ?? [])
        outcome = try MPIRun.run(program, arguments, timeout: timeout,
                                 log: directory.url.appendingPathComponent("\(scenario).log"))
    }

    /// Whether the job ended successfully; records the job's output as the failure otherwise.
    func succeeded(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        #expect(outcome.status == 0, "mpirun exited with \(outcome.status):\n\(outcome.output)", sourceLocation: sourceLocation)
        return outcome.status == 0
    }

    /// The folder the ranks write in (OUTPUT).
    var outputFolder: URL { directory.url.appendingPathComponent("out") }

    /// The file rank `rank` wrote.
    func output(rank: Int) throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: outputFolder.appendingPathComponent("rank\(rank).safetensors"))
    }
}

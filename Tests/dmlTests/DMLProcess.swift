import Foundation
import TestSupport

/// Runs the built `dml` as a child process, as a user would.
enum DMLProcess {
    /// `dml arguments…` run to its end (with `environment` added to the test's): its exit status and
    /// everything it printed (stdout and stderr).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory()
        let log = directory.url.appendingPathComponent("dml.log")
        let process = try TrainCommandTests.start(arguments, log: log, environment: environment)
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }
}

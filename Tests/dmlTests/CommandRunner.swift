import Foundation
import MLServe
import MLTraining
import TestSupport

/// Runs the built `dml` (and other programs) as child processes for the command tests.
enum CommandRunner {
    /// A finished run: exit status and everything it printed.
    struct Output {
        let status: Int32
        let text: String
    }

    /// Runs `dml arguments` to completion.
    @discardableResult
    static func dml(_ arguments: [String], timeout: TimeInterval = 600) throws -> Output {
        let directory = try TemporaryDirectory()
        let log = directory.url.appendingPathComponent("log")
        let process = try TrainCommandTests.start(arguments, log: log)
        let text = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        guard waitForExit(process, timeout: timeout) else {
            kill(process.processIdentifier, SIGKILL)
            _ = waitForExit(process, timeout: 10)
            return Output(status: -1, text: "dml \(arguments.joined(separator: " ")) ran over \(timeout) s and was killed\n" + text())
        }
        return Output(status: process.terminationStatus, text: text())
    }

    /// Polls until `process` has exited, for at most `timeout` seconds; false if it is still running.
    static func waitForExit(_ process: Process, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return true
    }

    /// A running `dml serve` on a free port.
    final class Server {
        let process: Process
        let port: Int
        let log: URL
        private let directory: TemporaryDirectory

        /// Starts `dml serve arguments --port 0` and waits (up to a minute) for the line naming its port.
        init(_ arguments: [String]) throws {
            directory = try TemporaryDirectory()
            log = directory.url.appendingPathComponent("serve.log")
            process = try TrainCommandTests.start(["serve"] + arguments + ["--port", "0"], log: log)
            let deadline = Date().addingTimeInterval(60)
            var found: Int?
            while found == nil, process.isRunning, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "on http://127.0.0.1:") {
                    found = Int(text[range.upperBound...].prefix { $0.isNumber })
                }
            }
            guard let found else {
                kill(process.processIdentifier, SIGKILL)
                _ = CommandRunner.waitForExit(process, timeout: 10)
                throw TrainingError.invalidRun("dml serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            port = found
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Sends one request on a new connection.
        func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPConnection.Response {
            try HTTPConnection(port: port).send(method, path, headers: headers, body: body)
        }

        /// SIGTERM, then waits (at most `timeout` seconds) for the exit status; a server still running then
        /// is killed and reported as -1.
        func stop(timeout: TimeInterval = 30) -> Int32 {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            guard CommandRunner.waitForExit(process, timeout: timeout) else {
                kill(process.processIdentifier, SIGKILL)
                _ = CommandRunner.waitForExit(process, timeout: 10)
                return -1
            }
            return process.terminationStatus
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                _ = CommandRunner.waitForExit(process, timeout: 10)
            }
        }
    }
}

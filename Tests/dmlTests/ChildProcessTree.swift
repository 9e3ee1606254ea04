import Foundation

/// A child process and everything it starts, stopped within a bounded time.
///
/// Foundation starts a child in a process group of its own, so the group holds the child and the
/// descendants that stay in it (chromedriver's chromium and its zygotes and renderers). Some escape it:
/// chromium's crash handlers call `setsid`. Those keep the environment, so the child is started with a
/// tag variable unique to it, and `stop` also kills every process whose environment carries the tag.
/// Everything is found by process id under `/proc`; nothing is killed by name.
final class ChildProcessTree {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let process: Process
    private let tag: String

    /// Starts `executable arguments` with its output discarded (or sent to `log`).
    init(_ executable: String, _ arguments: [String], log: URL? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(description: "\(executable) is missing: run tools/install-deps.sh")
        }
        tag = "DML_TEST_PROCESS_TREE=\(UUID().uuidString)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DML_TEST_PROCESS_TREE"] = String(tag.split(separator: "=")[1])
        process.environment = environment
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
    }

    deinit { _ = stop() }

    /// SIGKILLs the child's process group and every tagged process until none is left, for at most
    /// `timeout` seconds; false if some survived that long.
    @discardableResult
    func stop(timeout: TimeInterval = 15) -> Bool {
        let group = process.processIdentifier
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let members = members(ofGroup: group)
            if members.isEmpty && !process.isRunning { return true }
            guard Date() < deadline else { return false }
            for pid in members { kill(pid, SIGKILL) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Live (not zombie) processes in `group` or carrying the tag.
    private func members(ofGroup group: pid_t) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let end = stat.lastIndex(of: ")") else { return false }
            // After "(comm)": state, ppid, pgrp.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z" else { return false }
            if pid_t(fields[2]) == group { return true }
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { $0.elementsEqual(tag.utf8) }
        }
    }
}

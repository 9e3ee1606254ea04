import ArgumentParser
import Foundation

/// Runs the reference implementation a benchmark compares with: `python script arguments…`, with
/// `environment` added to this process's, its standard error passed through to ours. Returns what it prints
/// on standard output, a JSON object. Throws `ValidationError` starting with `option` (the flag that named
/// `python`) when Python cannot start, exits with a non-zero status or prints no JSON object.
func runPythonReference(_ python: String, script: String, arguments: [String], environment: [String: String] = [:],
                  option: String) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script] + arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch {
        throw ValidationError("\(option): cannot run \(python): \(error.localizedDescription)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ValidationError("\(option): \(python) \(script) failed (status \(process.terminationStatus))")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw ValidationError("\(option): \(python) \(script) printed no JSON object: \(String(decoding: data.prefix(2000), as: UTF8.self))")
    }
    return object
}

/// This process's user + system CPU seconds so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// This process's peak resident set size in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

import Foundation

/// libgomp reads `OMP_WAIT_POLICY` once, when it loads. Its default lets threads that wait at a barrier
/// spin, burning the cores the data loader (and anything else on the machine) needs: measured on a shared
/// 2-core machine, `dml train --preset fashion-mnist` ran at 41 images/s spinning and 112 passive, its
/// evaluation in 30 s and 10 s. So the heavy commands re-execute themselves once with the passive policy,
/// unless the user chose a policy.
enum OpenMPEnvironment {
    /// Re-executes the process with `OMP_WAIT_POLICY=passive` when the variable is unset (returns only
    /// when it was set already or the re-execution failed).
    static func preferPassiveWaiting() {
        guard getenv("OMP_WAIT_POLICY") == nil else { return }
        setenv("OMP_WAIT_POLICY", "passive", 1)
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", &arguments)
        for argument in arguments { free(argument) }
    }
}

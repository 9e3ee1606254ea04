import Foundation
import MetricLearning
import MLDistributed

/// The processes of an `mpirun` / `srun` launch, for the commands that run in parallel (`train`, `eval`,
/// `embed`, `bench model`, `bench allreduce`). A process no launcher started — or a launch of one
/// process — runs alone and never initialises MPI.
enum ParallelRun {
    /// Runs `body` with the world communicator when this process is one of several an MPI launcher
    /// started (MPI is initialised first and finalised after), else with nil.
    ///
    /// Under MPI an error every rank throws at the same point (`AgreedError`, a non-finite loss, which the
    /// ranks agree on) ends every rank after finalising, rank 0 reporting it; any other error is printed with
    /// its rank and aborts the whole job (`MPI_Abort`), so no rank waits forever for another.
    static func run<R>(_ body: (Communicator?) throws -> R) throws -> R {
        guard let launch = try MPILaunch.detect(ProcessInfo.processInfo.environment), launch.isParallel else {
            return try body(nil)
        }
        let world = MPIRuntime.abortingOnError(rank: launch.rank) { try MPIRuntime.start() }
        do {
            let result = try body(world)
            MPIRuntime.finish()
            return result
        } catch let error where isAgreed(error) {
            MPIRuntime.finish()
            if world.isRoot { throw (error as? AgreedError)?.underlying ?? error }
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("Error on rank \(world.rank): \(error)\n".utf8))
            MPIRuntime.abort(code: 1)
        }
    }

    /// Whether every rank throws `error` at the same point.
    private static func isAgreed(_ error: any Error) -> Bool {
        if error is AgreedError { return true }
        if case .nonFiniteLoss = error as? TrainingError { return true }
        return false
    }
}

/// An error every rank of a job throws at the same point (a check of values they all share), so the job
/// can end cleanly instead of aborting.
struct AgreedError: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String { "\(underlying)" }
}

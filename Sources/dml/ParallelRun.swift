import Foundation
import MLDistributed

/// The processes of an `mpirun` / `srun` launch, for the commands that run in parallel (`train`, `eval`,
/// `embed`, `bench model`, `bench allreduce`). A process no launcher started — or a launch of one
/// process — runs alone and never initialises MPI.
enum ParallelRun {
    /// Runs `body` with the world communicator when this process is one of several an MPI launcher
    /// started (MPI is initialised first and finalised after), else with nil. Under MPI an error on any
    /// rank is printed with its rank and aborts the whole job (`MPI_Abort`), so no rank waits forever.
    static func run<R>(_ body: (Communicator?) throws -> R) throws -> R {
        guard let launch = try MPILaunch.detect(ProcessInfo.processInfo.environment), launch.isParallel else {
            return try body(nil)
        }
        let world = MPIRuntime.abortingOnError(rank: launch.rank) { try MPIRuntime.start() }
        let result = MPIRuntime.abortingOnError(rank: world.rank) { try body(world) }
        MPIRuntime.finish()
        return result
    }
}

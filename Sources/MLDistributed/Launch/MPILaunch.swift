/// How this process was started by an MPI launcher, read from the environment the launcher sets before
/// the program runs (so the decision to initialise MPI is made without touching the library):
///
/// | launcher | size | rank |
/// |---|---|---|
/// | Open MPI `mpirun` / `mpiexec` | `OMPI_COMM_WORLD_SIZE` | `OMPI_COMM_WORLD_RANK` |
/// | MPICH (Hydra) `mpiexec`, Slurm `srun --mpi=pmi2` | `PMI_SIZE` | `PMI_RANK` |
/// | Slurm `srun` (any `--mpi` plugin) | `SLURM_STEP_NUM_TASKS` | `SLURM_PROCID` |
///
/// A process started any other way (a plain `dml train`) has none of them and never initialises MPI.
public struct MPILaunch: Equatable, Sendable {
    /// The launcher, as named above ("Open MPI", "PMI", "Slurm").
    public let launcher: String
    /// The number of processes started together.
    public let size: Int
    /// This process's place among them, 0..<size.
    public let rank: Int

    /// The launch the variables in `environment` describe, or nil for a process no launcher started.
    /// Throws `DistributedError.launch` naming the variable when a launcher's size or rank is not a valid
    /// number (running alone would have every process write the same run folder).
    public static func detect(_ environment: [String: String]) throws -> MPILaunch? {
        let sources = [("Open MPI", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"),
                       ("PMI", "PMI_SIZE", "PMI_RANK"),
                       ("Slurm", "SLURM_STEP_NUM_TASKS", "SLURM_PROCID")]
        for (launcher, sizeKey, rankKey) in sources {
            guard let sizeText = environment[sizeKey], let rankText = environment[rankKey] else { continue }
            guard let size = Int(sizeText), size >= 1 else {
                throw DistributedError.launch("\(sizeKey)=\(sizeText) is not a process count")
            }
            guard let rank = Int(rankText), (0..<size).contains(rank) else {
                throw DistributedError.launch("\(rankKey)=\(rankText) is not a rank among \(sizeKey)=\(size) processes")
            }
            return MPILaunch(launcher: launcher, size: size, rank: rank)
        }
        return nil
    }

    /// Whether more than one process was started: only then does a command initialise MPI.
    public var isParallel: Bool { size > 1 }
}

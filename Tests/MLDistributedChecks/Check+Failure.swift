import Foundation
import MLDistributed

extension Check {
    /// A rank that fails while the other waits in a collective: with option `kill` rank 1 kills itself
    /// (SIGKILL), with `throw` it throws an error. Rank 0 waits in an allreduce that never completes.
    func failure() throws {
        try communicator.barrier()
        if rank == 1 {
            if option == "kill" { kill(getpid(), SIGKILL) }
            throw DistributedError.mismatch("rank 1 fails on purpose")
        }
        _ = try communicator.allReduce([1.0], .sum)
    }
}

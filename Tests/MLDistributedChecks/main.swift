import Foundation
import MLDistributed

// Check scenarios for MLDistributedTests, each run by every process of `mpirun -np 2`:
//
//     MLDistributedChecks SCENARIO INPUT OUTPUT [OPTION]
//
// Each process reads the test's INPUT file (safetensors), does its part and writes OUTPUT/rank<r>.safetensors;
// the test compares those with what one process computes. An error on any rank aborts the job.
let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: MLDistributedChecks SCENARIO INPUT OUTPUT [OPTION]\n".utf8))
    exit(2)
}
let world = MPIRuntime.abortingOnError(rank: -1) { try MPIRuntime.start() }
let check = Check(communicator: world, input: URL(fileURLWithPath: arguments[2]),
                  output: URL(fileURLWithPath: arguments[3]), option: arguments.count > 4 ? arguments[4] : nil)
MPIRuntime.abortingOnError(rank: world.rank) {
    switch arguments[1] {
    case "collectives": try check.collectives()
    case "gradients": try check.gradients()
    case "loss": try check.loss()
    case "embed": try check.embed()
    case "train": try check.train()
    case "failure": try check.failure()
    default: throw DistributedError.launch("unknown scenario \(arguments[1])")
    }
}
MPIRuntime.finish()

import Foundation
import MLDistributed
import MLTraining
import TestSupport

extension Check {
    /// `DataParallelRun`'s 2-process side on the Fashion-MNIST folder INPUT (option `paper` for the paper
    /// regime), stopped after 3 steps; every rank writes its whole state, and each is given its own run
    /// folder, OUTPUT/run<rank>, so the test sees that rank 0 alone writes one.
    func train() throws {
        let configuration = try DataParallelRun.configuration(data: input, processes: communicator.size,
                                                              paperRegime: option == "paper")
        let trainer = try Trainer(configuration: configuration, runFolder: output.appendingPathComponent("run\(rank)"),
                                  progress: .silent, processes: MPIProcessGroup(communicator))
        try trainer.run(iterationLimit: 3)
        try write(DataParallelRun.state(of: trainer))
    }
}

import Foundation
import MLDistributed
import MLTraining
import TestSupport

extension Check {
    /// `DataParallelRun`'s 2-process side on the Fashion-MNIST folder INPUT (option `paper` for the paper
    /// regime), stopped after 3 steps; every rank writes its whole state, rank 0 the run folder OUTPUT/run.
    func train() throws {
        let configuration = try DataParallelRun.configuration(data: input, processes: communicator.size,
                                                              paperRegime: option == "paper")
        let trainer = try Trainer(configuration: configuration, runFolder: output.appendingPathComponent("run"),
                                  progress: .silent, processes: MPIProcessGroup(communicator))
        try trainer.run(iterationLimit: 3)
        try write(DataParallelRun.state(of: trainer))
    }
}

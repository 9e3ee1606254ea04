import Foundation
import MLFormats
import MLTraining
import TestSupport
import Testing

/// A `Trainer` over 2 processes (`Check.train`: global batch 20) against one process accumulating 2
/// micro-batches of 10, 3 steps: both ranks end with exactly the same state, running statistics included
/// (rank 0's are broadcast); parameters, loss parameters and momentum buffers equal the single process's
/// within 1e-5 norm-relative (measured: bit-identical; the two sides add the same two micro-batch gradients
/// and scale by ½), which a wrong slice, a missing average or a dropout mask from the wrong position misses
/// by far more. Running statistics differ by design (rank 0's own rows, against two updates per step).
/// Each rank is given its own run folder: rank 0's holds the configuration, the log of the 3 steps, the
/// sharded epoch-0 evaluation and `last`; rank 1's is never created.
@Suite(.serialized) struct DataParallelTrainingTests {
    func expectAccumulationEquality(paperRegime: Bool) throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let job = try CheckJob("train", input: directory.url, option: paperRegime ? "paper" : "preset", in: directory)
        guard job.succeeded() else { return }
        let (rank0, rank1) = (try job.output(rank: 0), try job.output(rank: 1))
        let (folder0, folder1) = (RunFolder(job.outputFolder.appendingPathComponent("run0")),
                                  job.outputFolder.appendingPathComponent("run1"))
        for file in [folder0.configuration, folder0.trainLog, folder0.metrics, folder0.lastCheckpoint] {
            #expect(FileManager.default.fileExists(atPath: file.path), "rank 0 wrote no \(file.lastPathComponent)")
        }
        #expect(try folder0.records(TrainLogRecord.self, in: folder0.trainLog).map(\.iteration) == [1, 2, 3])
        #expect(!FileManager.default.fileExists(atPath: folder1.path), "rank 1 wrote a run folder")
        #expect(rank0.names.sorted() == rank1.names.sorted())
        for name in rank0.names {
            #expect(try rank0.floats(named: name) == rank1.floats(named: name), "\(name): the ranks differ")
        }
        let single = try Trainer(configuration: DataParallelRun.configuration(data: directory.url, processes: 1,
                                                                              paperRegime: paperRegime),
                                 runFolder: directory.url.appendingPathComponent("single"), progress: .silent)
        try single.run(iterationLimit: 3)
        let expected = DataParallelRun.state(of: single)
        #expect(expected.names.sorted() == rank0.names.sorted())
        for name in expected.names where !DataParallelRun.isRunningStatistic(name) {
            let (got, reference) = (try rank0.floats(named: name), try expected.floats(named: name).map(Double.init))
            let error = relativeError(got, reference)
            #expect(error <= 1e-5, "\(name): 2 processes differ from --accumulate 2 by \(error); \(worstMismatch(got, reference))")
        }
    }

    @Test func twoProcessesTrainAsOneAccumulatingTwoMicroBatches() throws {
        try expectAccumulationEquality(paperRegime: false)
    }

    @Test func twoProcessesTrainAsOneAccumulatingWithDropoutAndFrozenBatchNorm() throws {
        try expectAccumulationEquality(paperRegime: true)
    }
}

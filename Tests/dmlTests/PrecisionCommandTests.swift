import Foundation
import MLEngine
@testable import MLTraining
import TestSupport
import Testing

/// `--precision` as a user meets it: bf16 refused where oneDNN's ISA has no native bf16 (capped here with
/// `DNNL_MAX_CPU_ISA=AVX512_CORE`, where oneDNN would emulate bf16 several times slower than fp32), and a bf16
/// run recorded in its run folder and kept on resume.
@Suite(.serialized) struct PrecisionCommandTests {
    /// oneDNN reads this when it starts: the effective ISA is then avx512_core at most.
    static let withoutNativeBF16 = ["DNNL_MAX_CPU_ISA": "AVX512_CORE"]

    @Test func bf16IsRefusedWithoutNativeBF16NamingTheISA() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 5, testPerClass: 5)
        let out = directory.url.appendingPathComponent("run")
        let runs: [[String]] = [
            TrainCommandTests.trainArguments(data: directory.url, epochs: 1) + ["--precision", "bf16", "--out", out.path],
            ["bench", "model", "--arch", "resnet18", "--batch", "2", "--size", "32", "--steps", "1", "--precision", "bf16"],
        ]
        for arguments in runs {
            let (status, output) = try DMLProcess.run(arguments, environment: Self.withoutNativeBF16)
            #expect(status != 0, "dml \(arguments[0]) --precision bf16 ran without native bf16: \(output)")
            #expect(output.contains("precision bf16") && output.contains("ISA here is avx512_core"), "\(output)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "a refused run left a folder")
    }

    @Test(.enabled(if: Engine.hasNativeBFloat16, "bf16 training needs AVX512_BF16 (oneDNN ISA avx512_core_bf16)"))
    func bf16RunIsRecordedKeptOnResumeAndEvaluatedInBF16() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        let out = directory.url.appendingPathComponent("run")
        let train = try DMLProcess.run(
            TrainCommandTests.trainArguments(data: directory.url, epochs: 1) + ["--precision", "bf16", "--out", out.path])
        #expect(train.status == 0, "\(train.output)")
        let run = RunFolder(out)
        #expect(try TrainingConfiguration.read(from: run.configuration).precision == .bf16)
        let checkpoint = try Checkpoint.read(from: run.lastCheckpoint)
        #expect(checkpoint.configuration.precision == .bf16)
        #expect(try checkpoint.makeModel().precision == .bf16)
        // Checkpoints stay Float32.
        #expect(checkpoint.weights.tensors.allSatisfy { $0.dtype == .float32 })

        let resume = try DMLProcess.run(["train", "--resume", out.path, "--precision", "fp32"])
        #expect(resume.status != 0 && resume.output.contains("--precision"), "\(resume.output)")
        // The evaluation follows the run's precision unless told otherwise, and is refused where bf16 is not native.
        let eval = try DMLProcess.run(["eval", "--checkpoint", run.lastCheckpoint.path, "--json"],
                                      environment: Self.withoutNativeBF16)
        #expect(eval.status != 0 && eval.output.contains("ISA here is avx512_core"), "\(eval.output)")
        let fp32 = try DMLProcess.run(["eval", "--checkpoint", run.lastCheckpoint.path, "--precision", "fp32", "--json"],
                                      environment: Self.withoutNativeBF16)
        #expect(fp32.status == 0, "\(fp32.output)")
    }
}

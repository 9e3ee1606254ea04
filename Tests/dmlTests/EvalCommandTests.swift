import Foundation
import TestSupport
import Testing

/// `dml eval` on a checkpoint: the test classes' metrics, without building anything of training.
@Suite struct EvalCommandTests {
    @Test func evalBuildsNoSamplerOrTrainingLoader() throws {
        // One training image per class: a sampler of the run's batch size (25) could not be built on it,
        // so an evaluation that built one would fail.
        let run = try RoundOneRun()
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 1, testPerClass: 5)
        let (status, output) = try DMLProcess.run(["eval", "--checkpoint", run.run.appendingPathComponent("last.safetensors").path,
                                                   "--data", directory.url.path, "--json"])
        #expect(status == 0, "\(output)")
        let json = try #require(output.split(separator: "\n").last.map { Data($0.utf8) })
        let metrics = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let recall = try #require((metrics["cosine"] as? [String: Any])?["recall_at_k"] as? [String: Double])
        #expect(recall.keys.sorted() == ["1", "2", "4", "8"])
    }
}

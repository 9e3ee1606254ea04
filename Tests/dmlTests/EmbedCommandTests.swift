import Foundation
import MLEvaluation
import MLTraining
import TestSupport
import Testing

/// `dml embed` on a dataset split: the file holds, row for row, what the library's `Embedder` computes for
/// the same images, with their labels and paths.
@Suite struct EmbedCommandTests {
    @Test func embedWritesTheLibrarysEmbeddingsOfTheSplit() throws {
        let gallery = try SeededGallery.shared()
        let directory = try TemporaryDirectory()
        let out = directory.url.appendingPathComponent("test.safetensors")
        let (status, output) = try DMLProcess.run(["embed", "--checkpoint", gallery.checkpoint.path, "--data", gallery.data.path,
                                                   "--format", "cub", "--split", "test", "--workers", "1", "--out", out.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("9 embeddings of dimension 512 (test split) → \(out.path)"), "\(output)")
        let written = try LabeledEmbeddings(contentsOf: out)
        #expect(written.values.shape == [9, 512])
        #expect(written.labels == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(try EmbeddingsFile.paths(in: out) == (0..<9).map { gallery.split.describe($0) })
        let (got, expected) = (written.values.scalars, gallery.embeddings.values.scalars)
        let scale = expected.map { abs($0) }.max() ?? 0
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(scale > 0 && worst <= 1e-5 * scale, "largest difference \(worst) (largest value \(scale))")
    }

    @Test func aMissingCheckpointIsNamed() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("nothing.safetensors")
        let out = directory.url.appendingPathComponent("out.safetensors")
        let (status, output) = try DMLProcess.run(["embed", "--checkpoint", missing.path, "--out", out.path])
        #expect(status != 0 && output.contains(missing.path), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

import Foundation
import MLFormats
import MLModels
import TestSupport
import Testing

/// `dml export` and `dml embed --images` as a user runs them (the numbers: ONNXExportCheckTests).
@Suite struct ExportCommandTests {
    @Test func torchvisionExportAndItsRefusals() throws {
        let directory = try TemporaryDirectory()
        let checkpoint = directory.url.appendingPathComponent("model.safetensors")
        try SeededCheckpoint.write(to: checkpoint, arch: .resnet18, featureNorm: .batch, remap: 16, imageSize: 32, seed: 3)
        let out = directory.url.appendingPathComponent("weights.safetensors")
        let run = try CommandRun.dml(["export", "--checkpoint", checkpoint.path, "--format", "torchvision",
                                      "--out", out.path], in: directory)
        #expect(run.status == 0, "\(run.output)")
        let file = try SafeTensorsFile(contentsOf: out)
        #expect(file.names.contains("layer4.1.bn2.num_batches_tracked") && file.names.contains("neck.remap.weight"))
        #expect(file.metadata["architecture"] == "resnet18" && file.metadata["crop"] == #"{"height":32,"width":32}"#)

        let before = try Data(contentsOf: out)
        let opset = try CommandRun.dml(["export", "--checkpoint", checkpoint.path, "--format", "onnx", "--opset", "18",
                                        "--out", out.path], in: directory)
        #expect(opset.status != 0 && opset.output.contains("--opset 18: this exporter writes opsets 9–17"), "\(opset.output)")
        let mixed = try CommandRun.dml(["export", "--checkpoint", checkpoint.path, "--format", "torchvision",
                                        "--opset", "13", "--out", out.path], in: directory)
        #expect(mixed.status != 0 && mixed.output.contains("--opset applies to --format onnx only"), "\(mixed.output)")
        #expect(try Data(contentsOf: out) == before, "a refused export changed the existing file")
    }

    @Test func embedImagesPreprocessedRefusesAnImageOfAnotherSize() throws {
        let directory = try TemporaryDirectory()
        let checkpoint = directory.url.appendingPathComponent("model.safetensors")
        try SeededCheckpoint.write(to: checkpoint, arch: .resnet18, imageSize: 32, seed: 4)
        let images = directory.url.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try PNGEncoder.encode(width: 32, height: 32, pixels: [UInt8](repeating: 90, count: 3 * 32 * 32))
            .write(to: images.appendingPathComponent("a.png"))
        try PNGEncoder.encode(width: 32, height: 40, pixels: [UInt8](repeating: 90, count: 3 * 40 * 32))
            .write(to: images.appendingPathComponent("b.png"))
        let out = directory.url.appendingPathComponent("embeddings.safetensors")
        let arguments = ["embed", "--checkpoint", checkpoint.path, "--images", images.path, "--out", out.path]
        let refused = try CommandRun.dml(arguments + ["--preprocessed"], in: directory)
        #expect(refused.status != 0, "\(refused.output)")
        #expect(refused.output.contains("b.png") && refused.output.contains("32×40"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        // Without --preprocessed the test transform (a 32-pixel centre crop) makes both fit.
        let run = try CommandRun.dml(arguments, in: directory)
        #expect(run.status == 0, "\(run.output)")
        let file = try SafeTensorsFile(contentsOf: out)
        #expect(try file.tensor(named: "embeddings").shape == [2, 512])
        #expect(try file.integers(named: "labels") == [-1, -1])
        let paths = try JSONDecoder().decode([String].self, from: Data((file.metadata["paths"] ?? "").utf8))
        #expect(paths == ["a.png", "b.png"].map { images.appendingPathComponent($0).path })

        let usage = try CommandRun.dml(["embed", "--checkpoint", checkpoint.path, "--preprocessed", "--out", out.path],
                                       in: directory)
        #expect(usage.status != 0 && usage.output.contains("--preprocessed applies to --images only"), "\(usage.output)")
    }
}

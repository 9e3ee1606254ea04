import Foundation
import MLData
import MLEvaluation
import MLTraining
import TestSupport
import Testing

/// `dml train --preset cub|cars|sop|inshop` end to end on a tiny copy of the preset's dataset in its official
/// layout (`PaperDatasetLayout`), one epoch from scratch with ResNet-18 at 32 px, then (CUB and In-Shop)
/// `dml eval` of the run's `last` checkpoint. Every image of a class is the same JPEG, so whatever the weights a test image's
/// nearest neighbour is its class's copy, and the metrics follow from the counts alone: the one test class
/// of a single image (In-Shop: a query without gallery images) is a miss, every other query a hit.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PresetRunTests {
    /// Three training classes of 2 images: batches of 3 make 2 iterations.
    static let trainImages = [2, 2, 2]

    /// The presets whose `last` checkpoint `dml eval` evaluates again: one leave-one-out and the query/gallery
    /// layout (the others would repeat these paths; SOP's 1,001 images would add about 10 s).
    static let evaluatedAgain: Set = ["cub", "inshop"]

    /// The test classes' sizes: pairs and one single image, enough for the preset's largest K (32, SOP 1000:
    /// leave-one-out needs K + 1 images), and for In-Shop a query and 2 gallery images per class (K 50: a
    /// gallery of 50) and one query alone. Also the number of queries this gives.
    static func testImages(_ preset: String) -> (sizes: [Int], queries: Int) {
        switch preset {
        case "sop": (Array(repeating: 2, count: 500) + [1], 1001)
        case "inshop": (Array(repeating: 3, count: 25) + [1], 26)
        default: (Array(repeating: 2, count: 16) + [1], 33)
        }
    }

    @Test(arguments: ["cub", "cars", "sop", "inshop"])
    func presetTrainsOneEpochAndEvaluatesTheTestClasses(preset: String) throws {
        let directory = try TemporaryDirectory()
        let format = try #require(DatasetFormat(rawValue: preset))
        let (testImages, queries) = Self.testImages(preset)
        let data = try PaperDatasetLayout.write(format, trainImages: Self.trainImages, testImages: testImages,
                                                in: directory, subfolder: "data")
        let out = directory.url.appendingPathComponent("run")
        let (status, output) = try DMLProcess.run(["train", "--preset", preset, "--data", data.path, "--out", out.path,
                                                   "--from-scratch", "--arch", "resnet18", "--image-size", "32",
                                                   "--batch-size", "3", "--epochs", "1", "--workers", "1", "--log-every", "1"])
        #expect(status == 0, "\(output)")
        let classes = testImages.count
        let evaluated = preset == "inshop" ? "\(queries) queries against \(testImages.reduce(0, +) - queries) gallery images"
            : "\(queries) test images of \(classes) classes (leave-one-out)"
        #expect(output.contains(": 6 training images of 3 classes, \(evaluated), 2 iterations per epoch"), "\(output)")
        let run = RunFolder(out)
        #expect(try TinyRun.loggedIterations(out) == [1, 2], "6 training images in batches of 3")
        let checkpoint = try Checkpoint.read(from: run.lastCheckpoint)
        #expect(checkpoint.classes == 3 && checkpoint.state.iteration == 2 && checkpoint.configuration.preset == preset)
        #expect(FileManager.default.fileExists(atPath: run.bestCheckpoint.path) && FileManager.default.fileExists(atPath: run.report.path))

        let records = try run.records(EvaluationRecord.self, in: run.metrics)
        #expect(records.map(\.epoch) == [0, 1])
        let recallK = try Preset.named(preset).recallK
        for record in records {
            for metrics in [record.cosine, record.l2] {
                #expect(metrics.recallAtK.keys.sorted() == recallK)
                #expect(abs((metrics.recallAtK[1] ?? 0) - Double(queries - 1) / Double(queries)) <= 1e-12, "\(metrics)")
                #expect(metrics.precisionAt1 == 1 && metrics.rPrecision == 1 && metrics.meanAveragePrecisionAtR == 1, "\(metrics)")
            }
        }
        let examples = try JSONDecoder().decode(RetrievalExamples.self, from: Data(contentsOf: run.retrieval))
        #expect(examples.querySplit == (preset == "inshop" ? "query" : "test") && examples.queries.count == 8)

        // dml eval of `last` finds the final evaluation's figures again.
        guard Self.evaluatedAgain.contains(preset) else { return }
        let evaluation = try DMLProcess.run(["eval", "--checkpoint", run.lastCheckpoint.path, "--workers", "1", "--json"])
        #expect(evaluation.status == 0, "\(evaluation.output)")
        struct Both: Decodable { let cosine: RetrievalMetrics; let l2: RetrievalMetrics }
        let line = try #require(evaluation.output.split(separator: "\n").last)
        let both = try JSONDecoder().decode(Both.self, from: Data(line.utf8))
        let last = try #require(records.last)
        for (got, expected) in [(both.cosine, last.cosine), (both.l2, last.l2)] {
            #expect(got.recallAtK == expected.recallAtK && got.precisionAt1 == expected.precisionAt1
                    && got.rPrecision == expected.rPrecision && got.meanAveragePrecisionAtR == expected.meanAveragePrecisionAtR,
                    "dml eval \(got) vs the run's \(expected)")
        }
    }
}

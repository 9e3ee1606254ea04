import Foundation
@testable import MLData
@testable import MLEngine
@testable import MLEvaluation
@testable import MLFormats
@testable import MLLosses
@testable import MLModels
@testable import MLTraining
import TestSupport
import Testing

/// End to end on a tiny generated Fashion-MNIST-layout dataset: a short run lowers the loss, writes every
/// run file, and the saved checkpoint evaluates to the logged metrics.
@Suite struct TrainerTests {
    /// Every model and loss parameter of `got` agrees with `expected`'s to `tolerance` (norm-relative); a
    /// failure names the parameter, what differs (`what`) and the worst element.
    static func expectSameParameters(_ got: Trainer, _ expected: Trainer, tolerance: Double = 1e-6,
                                     what: String = "resumed differs from straight") {
        let gotParameters = got.model.namedParameters + got.step.criterion.namedParameters
        let expectedParameters = expected.model.namedParameters + expected.step.criterion.namedParameters
        #expect(gotParameters.count == expectedParameters.count)
        for ((name, a), (_, b)) in zip(gotParameters, expectedParameters) {
            let (x, y) = (a.value.scalars, b.value.scalars.map(Double.init))
            let error = relativeError(x, y)
            #expect(error <= tolerance, "\(name): \(what) by \(error); \(worstMismatch(x, y))")
        }
    }

    @Test func shortRunLowersTheLossAndWritesTheRunFolder() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 10)
        let runFolder = directory.url.appendingPathComponent("run")
        let configuration = try TinyFashionMNIST.configuration(data: directory.url)
        let trainer = try Trainer(configuration: configuration, runFolder: runFolder,
                                  progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        let summary = try trainer.run()

        let folder = RunFolder(runFolder)
        for file in [folder.configuration, folder.metrics, folder.trainLog, folder.lastCheckpoint, folder.bestCheckpoint,
                     folder.retrieval] {
            #expect(FileManager.default.fileExists(atPath: file.path), "missing \(file.lastPathComponent)")
        }
        #expect(try TrainingConfiguration.read(from: folder.configuration).seed == 7)
        #expect(summary.records.map(\.epoch) == [0, 1, 2])
        let log = try folder.records(TrainLogRecord.self, in: folder.trainLog)
        #expect(log.count == 2 * 4)
        let first = log.prefix(2).map(\.loss).reduce(0, +) / 2, last = log.suffix(2).map(\.loss).reduce(0, +) / 2
        #expect(last < first, "loss went from \(first) to \(last)")
        #expect(log.allSatisfy { $0.spce.isFinite && $0.lr == 0.01 })
        // Each epoch's accuracy is the mean of its batches' (every batch logged; 4 batches of 25).
        for record in summary.records.dropFirst() {
            let batches = log.filter { $0.epoch == record.epoch }.compactMap(\.accuracy)
            #expect(batches.count == 4 && batches.allSatisfy { abs($0 * 25 - ($0 * 25).rounded()) < 1e-9 && (0...1).contains($0) })
            let mean = batches.reduce(0, +) / 4
            #expect(abs((record.trainAccuracy ?? -1) - mean) < 1e-12, "epoch \(record.epoch): \(String(describing: record.trainAccuracy)) vs \(mean)")
        }
        #expect(summary.records.first?.trainAccuracy == nil)

        // The last checkpoint evaluates to the metrics logged after the last epoch.
        let checkpoint = try Checkpoint.read(from: folder.lastCheckpoint)
        #expect(checkpoint.state.epoch == 2 && checkpoint.state.iteration == 8)
        let (cosine, l2) = try checkpoint.evaluate()
        let logged = try #require(summary.records.last)
        #expect(cosine == logged.cosine)
        #expect(l2 == logged.l2)
        let best = try Checkpoint.read(from: folder.bestCheckpoint)
        #expect(best.state.bestEpoch == summary.bestEpoch)

        // The report embeds the curves (loss, SPCE, accuracy, lr, recall: one axis each) and the gallery's
        // thumbnails (8 queries × 6 images).
        let html = try RunReport(folder: folder).html()
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 8 * 6)

        // The README's "Use from Swift" snippet, on this run.
        let model = try best.makeModel()
        let test = try Dataset.load(.fashionMNIST, at: directory.url).split("test")
        let embedder = Embedder(model: model, pipeline: best.transforms.test(),
                                imageSize: best.transforms.imageSize, batchSize: 256, workers: 1)
        let embeddings = try embedder.embed(test)
        #expect(embeddings.values.shape == [test.count, 512])
        let neighbors = try ExactSearch.neighbors(queries: embeddings.values, k: 5, distance: .cosine)
        #expect(neighbors.indices(of: 0).count == 5 && !neighbors.indices(of: 0).contains(0))
    }

    @Test func dataPathWithoutTheDatasetNamesTheExpectedFile() throws {
        let directory = try TemporaryDirectory()
        let configuration = try TinyFashionMNIST.configuration(data: directory.url)
        #expect {
            try Trainer(configuration: configuration, runFolder: directory.url.appendingPathComponent("run"))
        } throws: { "\($0)".contains("train-images-idx3-ubyte") }
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("run").path))
    }

    @Test func nonFiniteLossStopsKeepingTheLastCheckpoint() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 10, testPerClass: 5)
        let configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 1)
        let runFolder = directory.url.appendingPathComponent("run")
        let trainer = try Trainer(configuration: configuration, runFolder: runFolder,
                                  progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        // A NaN classifier bias makes the first batch's loss NaN (the backbone stays finite).
        let bias = try #require(trainer.step.criterion.namedParameters.first { $0.name == "classifier.bias" })
        bias.parameter.value = Tensor(shape: bias.parameter.value.shape, repeating: .nan)
        #expect {
            try trainer.run()
        } throws: { error in
            guard case TrainingError.nonFiniteLoss(_, _, _, let checkpoint) = error else { return false }
            return checkpoint.hasSuffix("last.safetensors") && "\(error)".contains("last good checkpoint")
        }
        let checkpoint = try Checkpoint.read(from: RunFolder(runFolder).lastCheckpoint)
        #expect(checkpoint.state.iteration == 0)
        let weights = try checkpoint.makeModel().namedParameters.map { $0.parameter.value.scalars }
        #expect(weights.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test func resumedRunEndsWithTheWeightsOfAStraightRun() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        var configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 2)
        configuration.dropout = 0.5
        configuration.loss = try LossSpecification(parsing: "cross_entropy:dropout=0.5,smoothing=0.1")
        let progress = ProgressReporter(lineEvery: 1000, isTerminal: false)
        let straightFolder = directory.url.appendingPathComponent("straight")
        let straight = try Trainer(configuration: configuration, runFolder: straightFolder, progress: progress)
        let straightSummary = try straight.run()

        let resumedFolder = directory.url.appendingPathComponent("resumed")
        let interrupted = try Trainer(configuration: configuration, runFolder: resumedFolder, progress: progress)
        let partial = try interrupted.run(iterationLimit: 3)
        #expect(partial.stopped)
        let saved = try Checkpoint.read(from: RunFolder(resumedFolder).lastCheckpoint)
        #expect(saved.state.iteration == 3 && saved.state.sampler?.position == 3)
        let resumed = try Trainer(configuration: saved.configuration, runFolder: resumedFolder, resumingFrom: saved,
                                  progress: progress)
        let summary = try resumed.run()
        #expect(!summary.stopped && summary.records.map(\.epoch) == [0, 1, 2])
        // The interrupted epoch's mean loss and SPCE cover all its batches, as in the straight run.
        for (got, expected) in zip(summary.records, straightSummary.records) {
            for (a, b) in [(got.trainLoss, expected.trainLoss), (got.trainSpce, expected.trainSpce)] {
                #expect(abs((a ?? 0) - (b ?? 0)) <= 1e-9 * abs(b ?? 0), "epoch \(got.epoch): \(String(describing: a)) vs \(String(describing: b))")
            }
        }

        Self.expectSameParameters(resumed, straight)
    }

    @Test func pretrainedWeightsLoadIntoTheBackboneAndAreReported() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 10, testPerClass: 5)
        // torchvision-style weights: a ResNet-18 state dict drawn from another seed, with the classifier `fc`.
        let source = try EmbeddingModel(.init(arch: .resnet18), seed: 1234)
        var file = SafeTensorsFile(stateDictOf: source.backbone)
        file.add(Tensor(shape: [1000, 512], repeating: 0.5), named: "fc.weight")
        file.add(Tensor(shape: [1000], repeating: 0.5), named: "fc.bias")
        let weights = directory.url.appendingPathComponent("resnet18.safetensors")
        try file.write(to: weights)

        var configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 1)
        configuration.pretrained = weights.path
        let trainer = try Trainer(configuration: configuration, runFolder: directory.url.appendingPathComponent("run"),
                                  progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        let report = try #require(trainer.pretrainedReport)
        let expectedNames = source.backbone.namedParameters.map(\.name)
        #expect(report.loaded.sorted() == expectedNames.sorted())
        #expect(report.ignored.sorted() == ["fc.bias", "fc.weight"])
        #expect(report.missing.isEmpty && report.unexpected.isEmpty)
        let initialised = try EmbeddingModel(.init(arch: .resnet18), seed: configuration.seed)
        let loaded = Dictionary(uniqueKeysWithValues: trainer.model.backbone.namedParameters.map { ($0.name, $0.parameter.value.scalars) })
        for ((name, expected), (_, seeded)) in zip(source.backbone.namedParameters, initialised.backbone.namedParameters) {
            #expect(loaded[name] == expected.value.scalars, "\(name) was not loaded from the file")
            if name == "conv1.weight" { #expect(seeded.value.scalars != expected.value.scalars) }
        }

        // A file lacking a backbone tensor is refused, naming the arch and the key.
        var partial = SafeTensorsFile()
        for (name, parameter) in source.backbone.namedParameters where name != "layer4.1.bn2.weight" {
            partial.add(parameter.value, named: name)
        }
        let partialURL = directory.url.appendingPathComponent("partial.safetensors")
        try partial.write(to: partialURL)
        configuration.pretrained = partialURL.path
        #expect {
            try Trainer(configuration: configuration, runFolder: directory.url.appendingPathComponent("run2"),
                        progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        } throws: { "\($0)".contains("does not fit resnet18") && "\($0)".contains("layer4.1.bn2.weight") }
    }

    /// Two optimizer steps (the first moves only the zero-initialised classifier) of `accumulate` micro-batches
    /// of `batchSize` with frozen batch norm and no dropout (each image's embedding is independent of its
    /// batch); returns the trainer after them.
    static func twoSteps(data: URL, run: URL, batchSize: Int, accumulate: Int?) throws -> Trainer {
        var options = TrainingOptions()
        options.data = data.path
        options.epochs = 1
        options.batchSize = batchSize
        options.accumulate = accumulate
        options.batchNormFrozen = true
        options.dropout = 0
        options.lr = 0.05
        options.schedule = .constant
        options.logEvery = 1
        options.workers = 1
        options.seed = 3
        let trainer = try Trainer(configuration: TrainingConfiguration(preset: .fashionMNIST, options: options),
                                  runFolder: run, progress: ProgressReporter(lineEvery: 1000, isTerminal: false))
        try trainer.run(iterationLimit: 2)
        return trainer
    }

    @Test func accumulatedMicroBatchesStepLikeTheLargeBatch() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 10, testPerClass: 3)
        let initial = try EmbeddingModel(.init(arch: .resnet18), seed: 3)
        let large = try Self.twoSteps(data: directory.url, run: directory.url.appendingPathComponent("large"),
                                     batchSize: 20, accumulate: nil)
        let accumulated = try Self.twoSteps(data: directory.url, run: directory.url.appendingPathComponent("accumulated"),
                                           batchSize: 10, accumulate: 2)
        // The sampler drew the same 20 images, in batches of 20 (50 training images of classes 0–4: 2 per epoch).
        let saved = try Checkpoint.read(from: RunFolder(accumulated.folder.url).lastCheckpoint)
        #expect(saved.state.iteration == 2 && saved.state.sampler?.batches.first?.count == 20)
        #expect(saved.state.sampler?.batches.count == 2)
        #expect(saved.state.sampler == (try Checkpoint.read(from: RunFolder(large.folder.url).lastCheckpoint)).state.sampler)

        Self.expectSameParameters(accumulated, large, tolerance: 1e-5, what: "accumulated differs from the large batch")
        // The steps did move the backbone well beyond weight decay alone (≈ 1.2e-4 here), else the
        // comparison proves little.
        for name in ["conv1.weight", "layer4.1.conv2.weight"] {
            let trained = try #require(large.model.namedParameters.first { $0.name == name })
            let start = try #require(initial.namedParameters.first { $0.name == name })
            let change = relativeError(trained.parameter.value.scalars, start.parameter.value.scalars.map(Double.init))
            #expect(change > 3e-4, "\(name) moved by only \(change)")
        }
        let log = try accumulated.folder.records(TrainLogRecord.self, in: accumulated.folder.trainLog)
        let largeLog = try large.folder.records(TrainLogRecord.self, in: large.folder.trainLog)
        #expect(log.count == 2 && zip(log, largeLog).allSatisfy { abs($0.loss - $1.loss) <= 1e-5 * $1.loss })
    }

    @Test func accumulatingRunStopsOnStepBoundariesAndResumesToTheStraightWeights() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 3)
        var configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 1)
        configuration.batchSize = 10
        configuration.accumulate = 2
        let progress = ProgressReporter(lineEvery: 1000, isTerminal: false)
        let straight = try Trainer(configuration: configuration, runFolder: directory.url.appendingPathComponent("straight"),
                                   progress: progress)
        try straight.run()
        // A stop is taken after whole optimizer steps: the sampler position counts steps of 2 × 10 images.
        let resumedFolder = directory.url.appendingPathComponent("resumed")
        try Trainer(configuration: configuration, runFolder: resumedFolder, progress: progress).run(iterationLimit: 2)
        let saved = try Checkpoint.read(from: RunFolder(resumedFolder).lastCheckpoint)
        #expect(saved.state.iteration == 2 && saved.state.sampler?.position == 2)
        #expect(saved.state.sampler?.batches.count == 5 && saved.state.sampler?.batches.allSatisfy { $0.count == 20 } == true)
        let resumed = try Trainer(configuration: saved.configuration, runFolder: resumedFolder, resumingFrom: saved,
                                  progress: progress)
        try resumed.run()
        Self.expectSameParameters(resumed, straight)
    }

    @Test func heldOutClassesChooseTheBestEpochAndResumeOnTheSameSplit() throws {
        let directory = try TemporaryDirectory()
        try TinyFashionMNIST.write(in: directory, trainPerClass: 20, testPerClass: 5)
        var configuration = try TinyFashionMNIST.configuration(data: directory.url, epochs: 2)
        configuration.valClasses = 0.4
        let progress = ProgressReporter(lineEvery: 1000, isTerminal: false)
        let straight = try Trainer(configuration: configuration, runFolder: directory.url.appendingPathComponent("straight"),
                                   progress: progress)
        let summary = try straight.run()

        // 2 of the 5 training classes held out: the classifier scores 3, an epoch is 60 / 25 = 2 batches.
        let classifier = try #require(straight.step.criterion.namedParameters.first { $0.name == "classifier.weight" })
        #expect(classifier.parameter.value.shape == [3, 512])
        let log = try straight.folder.records(TrainLogRecord.self, in: straight.folder.trainLog)
        #expect(log.map(\.iteration) == [1, 2, 3, 4])
        // Every evaluation has both splits; the best epoch is the validation cosine R@1's (ties → later).
        #expect(summary.records.map(\.epoch) == [0, 1, 2])
        let validation = summary.records.compactMap { $0.validation?.cosine.recallAtK[1] }
        #expect(validation.count == 3)
        let expectedBest = summary.records.indices.max { (validation[$0], $0) < (validation[$1], $1) }
        #expect(summary.bestEpoch == expectedBest)
        #expect(try Checkpoint.read(from: straight.folder.bestCheckpoint).state.bestEpoch == expectedBest)
        let line = try #require(try String(contentsOf: straight.folder.metrics, encoding: .utf8).split(separator: "\n").last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let block = try #require(json["validation"] as? [String: Any])
        #expect(block["cosine"] != nil && block["l2"] != nil && json["cosine"] != nil)
        #expect(summary.description.contains("validation cosine") && summary.description.contains("on the validation classes"))
        #expect(try RunReport(folder: straight.folder).html().contains("validation cosine"))

        // Stopped inside epoch 1 and resumed: the same split, the same weights as straight through.
        let resumedFolder = directory.url.appendingPathComponent("resumed")
        try Trainer(configuration: configuration, runFolder: resumedFolder, progress: progress).run(iterationLimit: 1)
        let saved = try Checkpoint.read(from: RunFolder(resumedFolder).lastCheckpoint)
        #expect(saved.configuration.valClasses == 0.4 && saved.head.classes == 3)
        let resumed = try Trainer(configuration: saved.configuration, runFolder: resumedFolder, resumingFrom: saved,
                                  progress: progress)
        #expect(try resumed.run().bestEpoch == summary.bestEpoch)
        Self.expectSameParameters(resumed, straight)
    }
}


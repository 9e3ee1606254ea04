import Foundation
@testable import MLEngine
@testable import MLLosses
@testable import MLModels
@testable import MLTraining
import TestSupport
import Testing

@Suite struct TrainingConfigurationTests {
    @Test func paperPresetsFollowTheAuthorsRecipe() throws {
        let expected: [(String, Int, Double, Double, Bool, FeatureNorm, [Int])] = [
            ("cub", 30, 0.02, 0, false, .none, [1, 2, 4, 8, 16, 32]),
            ("cars", 100, 0.05, 0, false, .batch, [1, 2, 4, 8, 16, 32]),
            ("sop", 100, 0.003, 0.99, true, .batch, [1, 10, 100, 1000]),
            ("inshop", 100, 0.003, 0.99, true, .batch, [1, 10, 20, 30, 40, 50]),
        ]
        for (name, epochs, lr, momentum, nesterov, norm, ks) in expected {
            var options = TrainingOptions()
            options.data = "/data/\(name)"
            options.fromScratch = true
            let c = try TrainingConfiguration(preset: try Preset.named(name), options: options)
            #expect(c.model.arch == .resnet50 && c.epochs == epochs && c.lr == lr && c.momentum == momentum)
            #expect(c.nesterov == nesterov && c.model.featureNorm == norm && c.recallK == ks)
            #expect(c.dropout == 0.5 && c.batchNormFrozen && c.batchSize == 128 && c.imageSize == 224)
            #expect(c.weightDecay == 5e-4 && c.labelSmoothing == 0.1 && c.schedule == .warmcos)
            #expect(c.loss.description == "cross_entropy:dropout=0.5,smoothing=0.1" && c.sampler == .random)
        }
    }

    @Test func fashionMNISTPresetIsTheEmbeddedDefault() throws {
        let c = try TrainingConfiguration(preset: .fashionMNIST, options: TrainingOptions())
        #expect(c.model.arch == .resnet18 && c.imageSize == 32 && c.epochs == 5 && c.batchSize == 128)
        #expect(c.lr == 0.02 && c.momentum == 0.9 && c.nesterov && !c.batchNormFrozen && c.dropout == 0)
        #expect(c.model.featureNorm == .none && c.model.remap == nil && c.model.embeddingSize == 512 && c.recallK == [1, 2, 4, 8])
        #expect(c.dataPath == "/usr/share/datasets/fashion-mnist" && c.pretrained == nil)
    }

    @Test func paperPresetsRefuseToStartWithoutWeights() throws {
        var options = TrainingOptions()
        options.data = "/data/cub"
        #expect {
            try TrainingConfiguration(preset: .cub, options: options)
        } throws: { "\($0)".contains("--pretrained") && "\($0)".contains("--from-scratch") }
    }

    @Test func unknownNamesListTheValidOnes() throws {
        #expect { try Preset.named("imagenet") } throws: { "\($0)".contains("cub, cars, sop, inshop, fashion-mnist") }
        // Enumerated options (arch, sampler, schedule, feature norm) are typed; the command line refuses
        // unknown values (dmlTests). Losses and miners are checked against the registry here.
        for (field, value, listed) in [("loss", "hinge", "cross_entropy, normalized_softmax"),
                                       ("miner", "hardest", "triplet_margin, batch_hard")] {
            var options = TrainingOptions()
            if field == "loss" { options.loss = LossSpecification(name: value) } else { options.miner = LossSpecification(name: value) }
            #expect(throws: (any Error).self, "\(field) \(value)") {
                try TrainingConfiguration(preset: .fashionMNIST, options: options)
            }
            do {
                _ = try TrainingConfiguration(preset: .fashionMNIST, options: options)
            } catch {
                #expect("\(error)".contains(value) && "\(error)".contains(listed), "\(error)")
            }
        }
    }

    @Test func outOfRangeValuesAreRefused() throws {
        for mutate in [{ (o: inout TrainingOptions) in o.epochs = 0 }, { $0.lr = -1 }, { $0.momentum = 1 },
                       { $0.batchSize = 1 }, { $0.dropout = 1 }, { $0.labelSmoothing = 1 }, { $0.accumulate = 0 },
                       { $0.valClasses = 0 }, { $0.valClasses = 1 }] {
            var options = TrainingOptions()
            mutate(&options)
            #expect(throws: TrainingError.self) { try TrainingConfiguration(preset: .fashionMNIST, options: options) }
        }
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        let c = try TrainingConfiguration(preset: .fashionMNIST, options: TrainingOptions())
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("config.json")
        try c.encoded().write(to: url)
        #expect(try TrainingConfiguration.read(from: url) == c)
        let json = try #require(try JSONSerialization.jsonObject(with: c.encoded()) as? [String: Any])
        for key in ["arch", "image_size", "preset", "loss", "epochs", "batch_size", "lr", "seed"] {
            #expect(json[key] != nil, "config.json lacks \(key)")
        }
        // Options not given leave no key, so config.json of runs without them (and older runs) is unchanged.
        #expect(json["accumulate"] == nil && json["val_classes"] == nil && json["precision"] == nil)
        let provenance = try #require(json["provenance"] as? [String: Any])
        #expect(provenance["onednn_version"] as? String == Engine.libraryVersion)
        #expect((provenance["cpu_isa"] as? String)?.isEmpty == false)
        #expect(provenance["package_version"] != nil && provenance["git_commit"] != nil)
    }

    /// A bf16 run records its precision in config.json (and so in checkpoints); a file without the key is fp32.
    @Test func precisionIsRecordedWhenBF16() throws {
        var options = TrainingOptions()
        options.precision = .bf16
        let c = try TrainingConfiguration(preset: .fashionMNIST, options: options)
        let json = try #require(try JSONSerialization.jsonObject(with: c.encoded()) as? [String: Any])
        #expect(json["precision"] as? String == "bf16")
        #expect(try TrainingConfiguration.decoded(from: c.encoded()).precision == .bf16)
        let fp32 = try TrainingConfiguration(preset: .fashionMNIST, options: TrainingOptions())
        #expect(try TrainingConfiguration.decoded(from: fp32.encoded()).precision == .fp32)
    }
}

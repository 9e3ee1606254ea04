@testable import MLLosses
import Testing

/// `dml losses` lists the registry's table: every loss and miner with every parameter and its default.
@Suite struct LossesCommandTests {
    @Test func everyRegistryEntryAppearsWithItsDefaults() throws {
        let (status, output) = try DMLProcess.run(["losses"])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let minersStart = try #require(lines.firstIndex { $0.hasPrefix("Miners") })
        let entries = LossRegistry.losses.map { ($0.name, $0.parameters, 0) }
            + LossRegistry.miners.map { ($0.name, $0.parameters, minersStart) }
        for (name, parameters, section) in entries {
            let start = try #require(lines[section...].firstIndex { $0.hasPrefix("  \(name) ") || $0.hasPrefix("  \(name):") },
                                     "\(name) is not listed")
            let block = lines[(start + 1)...].prefix { $0.hasPrefix("      ") }
            #expect(block.count == parameters.count, "\(name) lists \(block.count) parameters, the table \(parameters.count)")
            for parameter in parameters {
                #expect(block.contains { $0.hasPrefix("      \(parameter.name)=\(parameter.defaultValue) ") },
                        "\(name): \(parameter.name)=\(parameter.defaultValue) missing")
            }
        }
        #expect(output.contains("multi_similarity (pairwise): PML MultiSimilarityLoss; default miner multi_similarity"))
    }

    @Test func trainRefusesUnknownNamesListingTheValidOnes() throws {
        for (arguments, listed) in [(["--arch", "resnet9"], "resnet50"), (["--sampler", "balanced"], "m-per-class"),
                                    (["--schedule", "linear"], "warmcos"), (["--feature-norm", "group"], "layer"),
                                    (["--loss", "hinge"], "cross_entropy"), (["--miner", "hardest"], "batch_hard")] {
            let (status, output) = try DMLProcess.run(["train"] + arguments + ["--data", "/nonexistent"])
            #expect(status != 0)
            #expect(output.contains(arguments[1]) && output.contains(listed), "\(arguments): \(output)")
        }
    }
}

import Foundation
import MetricLearning
import TestSupport
import Testing

/// `import MetricLearning` alone gives the core library, and the README's code is the example package's.
@Suite struct UmbrellaTests {
    /// The repository's root folder (Tests/Fixtures/../..).
    static let root = Fixture.directory.deletingLastPathComponent().deletingLastPathComponent()

    @Test func readmeSnippetIsTheExamplePackagesSource() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "Use from Swift:\n\n```swift\n"
        let start = try #require(readme.range(of: marker), "README.md has no \"Use from Swift\" snippet")
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let snippet = String(readme[start.upperBound..<end.lowerBound])
        let source = try String(contentsOf: Self.root.appendingPathComponent("Examples/Sources/UseFromSwift/main.swift"),
                                encoding: .utf8)
        #expect(snippet == source, "README.md's snippet and Examples/Sources/UseFromSwift/main.swift differ")
    }

    @Test func documentationArticleCodeIsTheExamplePackagesSource() throws {
        let article = try String(contentsOf: Self.root.appendingPathComponent(
            "Sources/MLTraining/MLTraining.docc/TrainAndEvaluate.md"), encoding: .utf8)
        let blocks = article.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let sources = try ["TrainTiny", "UseFromSwift"].map {
            try String(contentsOf: Self.root.appendingPathComponent("Examples/Sources/\($0)/main.swift"), encoding: .utf8)
        }
        #expect(blocks == sources, "TrainAndEvaluate.md's code blocks and the example package's sources differ")
    }

    @Test func umbrellaExportsEveryCoreModule() throws {
        // One public type from each core module, named through `import MetricLearning` only.
        let tensor = Tensor(shape: [2, 2], values: [1, 0, 0, 1])                      // MLEngine
        var file = SafeTensorsFile()                                                  // MLFormats
        file.add(tensor, named: "identity")                                          // MLModels (bridge)
        #expect(try file.floats(named: "identity") == [1, 0, 0, 1])
        #expect(try ResNet.Architecture(name: "resnet18").featureCount == 512)       // MLModels
        #expect(try LossSpecification(parsing: "triplet").name == "triplet")          // MLLosses
        #expect(DatasetFormat.allCases.contains(.fashionMNIST))                       // MLData
        let neighbors = try ExactSearch.neighbors(queries: tensor, k: 1, distance: .cosine) // MLEvaluation
        #expect(neighbors.indices(of: 0) == [1])
        #expect(Preset.all.map(\.name).contains("fashion-mnist"))                    // MLTraining
    }
}

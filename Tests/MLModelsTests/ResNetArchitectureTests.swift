@testable import MLModels
import TestSupport
import Testing

@Suite struct ResNetArchitectureTests {
    @Test func namesParseCaseInsensitively() throws {
        #expect(try ResNet.Architecture(name: "resnet50") == .resnet50)
        #expect(try ResNet.Architecture(name: "ResNet101") == .resnet101)
    }

    @Test func unknownNameListsTheValidOnes() {
        let error = #expect(throws: ResNet.UnknownArchitecture.self) { try ResNet.Architecture(name: "resnet152") }
        #expect(error?.description == "unknown architecture \"resnet152\"; valid: resnet18, resnet34, resnet50, resnet101")
    }

    @Test func featureCountsFollowTheBlockType() {
        #expect(ResNet.Architecture.allCases.map(\.featureCount) == [512, 512, 2048, 2048])
    }
}

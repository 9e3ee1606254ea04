@testable import MLModels
import TestSupport
import Testing

@Suite struct ResNetInitializationTests {
    private func moments(_ values: [Float]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    @Test func convolutionsAreKaimingNormalWithFanOut() {
        let model = ResNet.resnet18(classCount: 10, seed: 3)
        for (name, parameter) in model.namedParameters where parameter.value.shape.count == 4 {
            let shape = parameter.value.shape
            let expected = (2 / Double(shape[0] * shape[2] * shape[3])).squareRoot()
            let (mean, std) = moments(parameter.value.scalars)
            // Sampling error of the standard deviation is about 1/√(2n) relative (n ≥ 8192 here).
            #expect(abs(std / expected - 1) < 0.03, "\(name): std \(std), expected \(expected)")
            #expect(abs(mean) < 0.05 * expected, "\(name): mean \(mean)")
        }
    }

    @Test func batchNormsStartAtIdentityAndLinearIsUniform() {
        let model = ResNet.resnet18(classCount: 10, seed: 3)
        for norm in model.batchNorms {
            #expect(norm.weight.value.scalars.allSatisfy { $0 == 1 })
            #expect(norm.bias.value.scalars.allSatisfy { $0 == 0 })
            #expect(norm.runningMean.value.scalars.allSatisfy { $0 == 0 })
            #expect(norm.runningVar.value.scalars.allSatisfy { $0 == 1 })
        }
        let bound = Float(1 / 512.0.squareRoot())
        let weights = model.fc?.weight.value.scalars ?? []
        #expect(weights.allSatisfy { abs($0) <= bound })
        #expect(weights.max() ?? 0 > 0.9 * bound && weights.min() ?? 0 < -0.9 * bound)
    }

    @Test func sameSeedSameWeightsOtherSeedOthers() {
        let a = ResNet.resnet18(classCount: 10, seed: 1).namedParameters.map { $0.parameter.value.scalars }
        let b = ResNet.resnet18(classCount: 10, seed: 1).namedParameters.map { $0.parameter.value.scalars }
        let c = ResNet.resnet18(classCount: 10, seed: 2).namedParameters.map { $0.parameter.value.scalars }
        #expect(a == b)
        #expect(a[0] != c[0])
    }

    @Test func zeroInitResidualZeroesEachBlocksLastBatchNorm() {
        let model = ResNet.resnet50(classCount: nil, zeroInitResidual: true)
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter) })
        for (name, parameter) in parameters where name.hasSuffix("bn3.weight") {
            #expect(parameter.value.scalars.allSatisfy { $0 == 0 }, "\(name)")
        }
        #expect(parameters["layer1.0.bn2.weight"]?.value.scalars.allSatisfy { $0 == 1 } == true)
        #expect(parameters["layer1.0.downsample.1.weight"]?.value.scalars.allSatisfy { $0 == 1 } == true)
    }
}

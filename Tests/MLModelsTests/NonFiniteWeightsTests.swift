import Foundation
@testable import MLFormats
@testable import MLModels
import Testing

/// Pretrained weights with a NaN or infinity are refused naming the tensor (issue 16: a NaN in a
/// pretrained weight was accepted, and every output became NaN).
@Suite struct NonFiniteWeightsTests {
    @Test(arguments: [Float.nan, .infinity, -.infinity]) func isRefusedByName(value: Float) throws {
        var file = SafeTensorsFile(source: "pretrained.safetensors")
        file.add(floats: [0.5, -0.25, 1], shape: [3], named: "fc.bias")
        file.add(floats: [0.5, value, 1, 2], shape: [2, 2], named: "fc.weight")
        let layer = ParameterHolder([("fc.bias", [3]), ("fc.weight", [2, 2])])
        let error = #expect(throws: StateDictError.self) { try layer.load(file) }
        #expect(error?.description == "pretrained.safetensors: tensor 'fc.weight' holds \(value) at element 1; weights must be finite")
        #expect(layer.namedParameters[0].parameter.value.scalars == [0, 0, 0], "nothing was loaded")
    }
}

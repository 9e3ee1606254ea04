@testable import MLData
@testable import MLEngine
@testable import MLModels
import TestSupport
import Testing

@Suite struct RGBImageTensorTests {
    /// ToTensor and Normalize(ImageNet) equal torchvision's float32 results exactly.
    @Test func toTensorAndNormalize() throws {
        let fixture = try FixtureFile("image_tensor.json")
        let tensor = TransformFixture.image("rgb.jpg").tensor()
        #expect(tensor.shape == [3, 30, 40])
        #expect(tensor.scalars == fixture["to_tensor"].floats, "to_tensor: \(worstMismatch(tensor.scalars, fixture["to_tensor"].values))")
        let normalized = try Normalize.imageNet(tensor)
        #expect(normalized.scalars == fixture["normalized"].floats,
                "normalized: \(worstMismatch(normalized.scalars, fixture["normalized"].values))")
        let batch = try Normalize.imageNet(tensor.reshaped([1, 3, 30, 40]))
        #expect(batch.scalars == normalized.scalars)
    }

    @Test func normalizeRejectsWrongChannels() {
        #expect(throws: LayerError.self) { try Normalize.imageNet(Tensor(shape: [4, 2, 2])) }
        #expect(throws: LayerError.self) { try Normalize.imageNet(Tensor(shape: [3, 2])) }
    }
}

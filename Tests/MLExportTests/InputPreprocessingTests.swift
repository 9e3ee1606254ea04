import MLData
import MLExport
import MLModels
import Testing

@Suite struct InputPreprocessingTests {
    private func preprocessing(_ pipeline: ImagePipeline) throws -> InputPreprocessing {
        try InputPreprocessing(testPipeline: pipeline, mean: Normalize.imageNet.mean, std: Normalize.imageNet.std)
    }

    @Test func presetsTestTransformsAreResizeThenCrop() throws {
        let cub = try preprocessing(TransformPreset.cub.test(imageSize: 224))
        #expect(cub.resize == .shorterSide(256) && cub.crop == .init(height: 224, width: 224))
        #expect(cub.inputSize == .init(height: 224, width: 224))
        let cars = try preprocessing(TransformPreset.cars.test(imageSize: 192))
        #expect(cars.resize == .exact(height: 256, width: 256) && cars.inputSize == .init(height: 192, width: 192))
        let inshop = try preprocessing(TransformPreset.inshop.test(imageSize: 224))
        #expect(inshop.resize == nil && inshop.crop == .init(height: 224, width: 224))
        let fashion = try preprocessing(TransformPreset.fashionMNIST.test(imageSize: 32))
        #expect(fashion.resize == .exact(height: 32, width: 32) && fashion.crop == nil)
        #expect(fashion.inputSize == .init(height: 32, width: 32))
    }

    @Test func transformWithoutAFixedSizeOrWithOtherStepsIsRefused() {
        #expect(throws: ExportError.unsupportedPreprocessing("does not give images of one fixed size")) {
            try preprocessing(ImagePipeline([Resize(.shorterSide(256))]))
        }
        #expect(throws: ExportError.self) { try preprocessing(ImagePipeline([CenterCrop(64), RandomHorizontalFlip()])) }
        #expect(throws: ExportError.self) { try preprocessing(ImagePipeline([CenterCrop(64), Resize(.shorterSide(64))])) }
        #expect(throws: ExportError.self) { try preprocessing(ImagePipeline([])) }
    }
}

import Foundation
import MLData

/// What a consumer must do to an image before the exported model sees it: the checkpoint's test transform
/// (an optional resize, then an optional centre crop, with torchvision's semantics on PIL images), then
/// `ToTensor` (RGB, channels first, pixel / 255), then the per-channel mean/std normalisation (inside the
/// ONNX model; the user's own step with the torchvision weights).
public struct InputPreprocessing: Sendable, Equatable {
    /// A height and width in pixels.
    public struct Size: Sendable, Equatable {
        /// Rows.
        public var height: Int
        /// Columns.
        public var width: Int

        /// A size of `height` rows and `width` columns.
        public init(height: Int, width: Int) {
            self.height = height
            self.width = width
        }
    }

    /// The resize rule, or nil.
    public let resize: Resize.Size?
    /// The centre crop, or nil.
    public let crop: Size?
    /// The image size the model takes (the transform's output).
    public let inputSize: Size
    /// The per-channel mean the model subtracts.
    public let mean: [Float]
    /// The per-channel standard deviation the model divides by.
    public let std: [Float]

    /// The description of `testPipeline` (resize then centre crop, each optional) followed by `mean`/`std`.
    /// Throws `ExportError.unsupportedPreprocessing` for any other step or order, or when the output size
    /// is not fixed (a shorter-side resize without a crop).
    public init(testPipeline: ImagePipeline, mean: [Float], std: [Float]) throws {
        var resize: Resize.Size?, crop: Size?
        for step in testPipeline.steps {
            switch step {
            case let step as Resize where resize == nil && crop == nil: resize = step.size
            case let step as CenterCrop where crop == nil: crop = Size(height: step.height, width: step.width)
            default:
                throw ExportError.unsupportedPreprocessing(
                    "has a step (\(type(of: step))) that is not one resize followed by one centre crop")
            }
        }
        switch (crop, resize) {
        case (let crop?, _): inputSize = crop
        case (nil, .exact(let height, let width)?): inputSize = Size(height: height, width: width)
        default: throw ExportError.unsupportedPreprocessing("does not give images of one fixed size")
        }
        self.resize = resize
        self.crop = crop
        self.mean = mean
        self.std = std
    }

    /// The metadata entries describing the preprocessing: `resize`, `crop`, `mean`, `std` (JSON values)
    /// and `input` (in words).
    var properties: [(key: String, value: String)] {
        let resizeJSON = switch resize {
        case .shorterSide(let side)?: #"{"shorter_side":\#(side)}"#
        case .exact(let height, let width)?: #"{"height":\#(height),"width":\#(width)}"#
        case nil: "null"
        }
        return [
            ("resize", resizeJSON),
            ("crop", crop.map { #"{"height":\#($0.height),"width":\#($0.width)}"# } ?? "null"),
            ("mean", "[" + mean.map { "\($0)" }.joined(separator: ",") + "]"),
            ("std", "[" + std.map { "\($0)" }.joined(separator: ",") + "]"),
            ("input", "float32 [N, 3, \(inputSize.height), \(inputSize.width)], RGB, pixel / 255 (torchvision ToTensor) "
                + "after the resize (PIL bilinear, antialiased) and the centre crop"),
        ]
    }
}

/// Why a model was not exported. Nothing is written when an export throws.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// The requested ONNX opset is outside what the exporter writes.
    case unsupportedOpset(Int, supported: ClosedRange<Int>, reason: String)
    /// A layer of the model has no form in the export format (the state-dict path and the layer's type).
    case unsupportedLayer(path: String, type: String, format: String)
    /// The checkpoint's test transform cannot be described to a consumer (or gives no fixed input size).
    case unsupportedPreprocessing(String)
    /// A tensor holds NaN or ±∞ (a diverged checkpoint), at this flat index.
    case nonFiniteTensor(name: String, index: Int, value: Float)

    /// The reason in words, naming the option, layer path, transform step or tensor.
    public var description: String {
        switch self {
        case .unsupportedOpset(let opset, let supported, let reason):
            "--opset \(opset): this exporter writes opsets \(supported.lowerBound)–\(supported.upperBound); \(reason)"
        case .unsupportedLayer(let path, let type, let format):
            "layer '\(path)' (\(type)) has no \(format) form in this exporter; nothing was written"
        case .unsupportedPreprocessing(let problem):
            "the checkpoint's test transform \(problem); nothing was written"
        case .nonFiniteTensor(let name, let index, let value):
            "tensor '\(name)' holds \(value) at index \(index) (a diverged checkpoint?); nothing was written"
        }
    }
}

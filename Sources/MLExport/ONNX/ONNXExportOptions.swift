/// How `ONNXExporter` writes a model.
public struct ONNXExportOptions: Sendable, Equatable {
    /// How the backbone's batch norms appear in the graph.
    public enum BatchNormForm: String, Sendable, CaseIterable {
        /// Folded into the preceding convolution's weight and bias (computed in Float64, exactly as this
        /// package's inference folds them).
        case folded
        /// `BatchNormalization` nodes holding the trained γ, β and running statistics as they are.
        case nodes
    }

    /// The ONNX operator set (`ONNXExporter.supportedOpsets`).
    public var opset: Int
    /// Adds L2 normalisation of the embeddings when the model has none.
    public var normalize: Bool
    /// Batch norms folded into the convolutions or as nodes.
    public var batchNorm: BatchNormForm

    /// Options for an export at `opset`, adding L2 normalisation when `normalize`, with `batchNorm`'s form.
    public init(opset: Int = ONNXExporter.defaultOpset, normalize: Bool = false, batchNorm: BatchNormForm = .folded) {
        self.opset = opset
        self.normalize = normalize
        self.batchNorm = batchNorm
    }
}

import MLModels
import MLTraining

/// An embedding model as an export sees it: the ResNet backbone, the neck read from its layers (feature
/// norm, remap, L2 normalisation, in that order; dropout has no inference form and is left out), the
/// input preprocessing, and the metadata both formats store. Throws for a neck layer neither format can
/// hold and for a non-finite tensor, so nothing is written half-right.
struct ExportedModel {
    let model: EmbeddingModel
    let preprocessing: InputPreprocessing
    /// "none", "batch" (BatchNorm1d) or "layer" (LayerNorm).
    let featureNorm: String
    /// The remap Linear's output size, or nil.
    let remapSize: Int?
    /// Whether the output is L2-normalised (by the model, or added by the export).
    let l2Normalize: Bool
    /// Whether the export adds the L2 normalisation the model lacks (`--normalize`).
    let addsL2Normalization: Bool

    init(_ model: EmbeddingModel, preprocessing: InputPreprocessing, normalize: Bool, format: String) throws {
        var featureNorm = "none", remapSize: Int?, l2 = false
        for (name, layer) in model.neck {
            switch layer {
            case is BatchNorm1d where featureNorm == "none" && remapSize == nil && !l2: featureNorm = "batch"
            case is LayerNorm where featureNorm == "none" && remapSize == nil && !l2: featureNorm = "layer"
            case let linear as Linear where remapSize == nil && !l2: remapSize = linear.outFeatures
            case is L2Normalization where !l2: l2 = true
            case is Dropout: continue
            default:
                throw ExportError.unsupportedLayer(path: "neck.\(name)", type: "\(type(of: layer)) at this place in the neck",
                                                   format: format)
            }
        }
        for (name, parameter) in model.namedParameters {
            let values = parameter.value.scalars
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw ExportError.nonFiniteTensor(name: name, index: index, value: values[index])
            }
        }
        self.model = model
        self.preprocessing = preprocessing
        self.featureNorm = featureNorm
        self.remapSize = remapSize
        addsL2Normalization = normalize && !l2
        l2Normalize = l2 || normalize
    }

    /// The embedding size d of the output [N, d].
    var embeddingSize: Int { remapSize ?? model.backbone.featureCount }

    /// The metadata both formats store: package version, architecture, the backbone's feature count, the
    /// embedding size, the neck, the preprocessing.
    var properties: [(key: String, value: String)] {
        [
            ("package_version", Provenance.packageVersion),
            ("architecture", model.backbone.architecture.rawValue),
            ("features", String(model.backbone.featureCount)),
            ("embedding_size", String(embeddingSize)),
            ("feature_norm", featureNorm),
            ("remap", remapSize.map(String.init) ?? "none"),
            ("l2_normalize", String(l2Normalize)),
        ] + preprocessing.properties
    }
}

import Foundation
import MLFormats
import MLModels

/// Writes an embedding model's weights for PyTorch: the backbone under torchvision's `resnetNN` state-dict
/// names, shapes and dtypes (float32, and an int64 scalar `num_batches_tracked` per batch norm), without
/// `fc`, so `resnetNN()` with `fc = nn.Identity()` loads it with `strict=True`; the neck's tensors beside
/// it as `neck.norm.*` and `neck.remap.*`. The `__metadata__` holds what the tensors do not say: the neck's
/// layers, the L2 normalisation and the preprocessing (resize, crop, mean and std, which the user applies
/// before the backbone).
public enum TorchvisionExporter {
    /// The `format` entry of the metadata.
    public static let format = "dml-torchvision-1"

    /// The safetensors file of `model` (`normalize`: record L2 normalisation even when the model has none).
    /// Throws `ExportError` for a neck the format cannot describe or a non-finite tensor.
    ///
    /// `num_batches_tracked` is 0: this package does not count batches, and PyTorch reads the count only
    /// for a batch norm with `momentum=None`.
    public static func stateDict(of model: EmbeddingModel, preprocessing: InputPreprocessing, normalize: Bool = false)
        throws -> SafeTensorsFile
    {
        let exported = try ExportedModel(model, preprocessing: preprocessing, normalize: normalize, format: "torchvision")
        var metadata = ["format": format, "normalization": "before the backbone: (x − mean) / std per channel"]
        for (key, value) in exported.properties { metadata[key] = value }
        var file = SafeTensorsFile(metadata: metadata)
        for (name, parameter) in model.namedParameters {
            file.add(floats: parameter.value.scalars, shape: parameter.value.shape, named: name)
            if name.hasSuffix(".running_var") {
                try file.add(integers: [0], shape: [], named: name.dropLast("running_var".count) + "num_batches_tracked")
            }
        }
        return file
    }

    /// Writes `stateDict(of:preprocessing:normalize:)` to `url` atomically; returns the number of tensors.
    @discardableResult
    public static func write(_ model: EmbeddingModel, preprocessing: InputPreprocessing, normalize: Bool = false,
                             to url: URL) throws -> Int {
        let file = try stateDict(of: model, preprocessing: preprocessing, normalize: normalize)
        try file.write(to: url)
        return file.names.count
    }
}

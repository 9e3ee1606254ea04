import Foundation
import MLEngine
import MLFormats

extension LabeledEmbeddings {
    /// Reads embeddings and labels from a file.
    ///
    /// - A safetensors file (DESIGN §6) holds `embeddings` (n × d, F32) and `labels` (n, I64 or I32).
    /// - A `.npy` file holds the n × d embeddings; the labels come from `labels`, a `.npy` integer array.
    ///
    /// `labels`, when given, replaces a safetensors file's own labels.
    /// - Throws: an error naming the file: unreadable, missing or mistyped tensors, wrong shapes, label
    ///   count ≠ embedding count, non-finite values.
    public init(contentsOf url: URL, labels labelsURL: URL? = nil) throws {
        let name = url.path
        let shape: [Int], floats: [Float]
        var labels: [Int]?
        if url.pathExtension.lowercased() == "npy" {
            let array = try NumPyArray(contentsOf: url)
            (shape, floats) = (array.shape, array.floats())
        } else {
            let file = try SafeTensorsFile(contentsOf: url)
            guard let info = file.info("embeddings") else {
                throw EvaluationError(name, "no tensor named 'embeddings' (the file has \(file.names.joined(separator: ", ")))")
            }
            guard info.dtype == .float32 else {
                throw EvaluationError(name, "tensor 'embeddings' is \(info.dtype.rawValue), expected F32")
            }
            (shape, floats) = (info.shape, try file.floats(named: "embeddings"))
            if labelsURL == nil {
                guard let labelInfo = file.info("labels") else {
                    throw EvaluationError(name, "no tensor named 'labels' (the file has \(file.names.joined(separator: ", ")))")
                }
                guard [.int64, .int32].contains(labelInfo.dtype), labelInfo.shape.count == 1 else {
                    throw EvaluationError(name, "tensor 'labels' is \(labelInfo.dtype.rawValue) of shape "
                        + "\(labelInfo.shape), expected a 1-D I64 or I32 tensor")
                }
                labels = try file.integers(named: "labels")
            }
        }
        if let labelsURL {
            let array = try NumPyArray(contentsOf: labelsURL)
            guard array.shape.count == 1 else {
                throw EvaluationError(labelsURL.path, "labels must be a 1-D array, got shape \(array.shape)")
            }
            labels = try array.integers()
        }
        guard let labels else { throw EvaluationError(name, "a .npy embeddings file needs a labels file (--labels)") }
        guard shape.count == 2 else {
            throw EvaluationError(name, "embeddings must be a 2-D (n × d) array, got shape \(shape)")
        }
        try self.init(values: Tensor(shape: shape, values: floats), labels: labels, name: name)
    }
}

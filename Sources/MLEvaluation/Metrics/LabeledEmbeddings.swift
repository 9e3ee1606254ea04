import MLEngine

/// Embeddings (n × d, Float32) with one integer label each, validated for retrieval.
///
/// `name` is where the values came from (a file path, or "queries" / "gallery"); every error about
/// these embeddings names it.
public struct LabeledEmbeddings: Sendable {
    /// The embeddings, a plain n × d tensor.
    public let values: Tensor
    /// One label per row of `values`.
    public let labels: [Int]
    /// The source named in error messages.
    public let name: String

    /// The number of embeddings (rows).
    public var count: Int { values.shape[0] }
    /// The embedding size (columns).
    public var dimension: Int { values.shape[1] }

    /// Wraps `values` (n × d) and `labels` (n), checking that the values are finite and the counts agree.
    /// - Throws: `EvaluationError` naming `name` when the tensor is not 2-D, a value is NaN or infinite,
    ///   or the label count differs from the row count.
    public init(values: Tensor, labels: [Int], name: String) throws {
        guard values.shape.count == 2 else {
            throw EvaluationError(name, "embeddings must be a 2-D (n × d) array, got shape \(values.shape)")
        }
        guard values.shape[1] > 0 else { throw EvaluationError(name, "embeddings have dimension 0") }
        guard labels.count == values.shape[0] else {
            throw EvaluationError(name, "\(labels.count) labels for \(values.shape[0]) embeddings")
        }
        let plain = values.plain()
        if let (row, column, value) = plain.withUnsafeStorage({ firstNonFinite($0, columns: values.shape[1]) }) {
            throw EvaluationError(name, "embedding \(row) has a non-finite value \(value) at column \(column)")
        }
        self.values = plain
        self.labels = labels
        self.name = name
    }
}

/// What `Layer.load(_:strict:ignoring:)` did with each key of the model and of the file.
public struct StateDictLoadReport: Sendable, Equatable {
    /// A key present in both whose shapes differ.
    public struct ShapeMismatch: Sendable, Equatable, CustomStringConvertible {
        public let name: String
        public let modelShape: [Int]
        public let fileShape: [Int]
        public var description: String { "\(name) (model \(modelShape), file \(fileShape))" }
    }

    /// Keys whose values were copied into the model.
    public var loaded: [String] = []
    /// Model keys the file lacks (left unchanged).
    public var missing: [String] = []
    /// File keys the model lacks.
    public var unexpected: [String] = []
    /// Keys with different shapes (left unchanged).
    public var mismatched: [ShapeMismatch] = []
    /// Keys of the file or the model skipped by the filter (e.g. `fc.weight`, `num_batches_tracked`).
    public var ignored: [String] = []

    /// Whether every considered key matched in name and shape.
    public var isExact: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }

    /// The problems, one clause each ("missing keys: …; unexpected keys: …; …"), at most `limit` keys per clause.
    func problems(limit: Int = 10) -> String {
        func list(_ items: [String]) -> String {
            items.prefix(limit).joined(separator: ", ") + (items.count > limit ? ", … (\(items.count) in all)" : "")
        }
        var clauses: [String] = []
        if !missing.isEmpty { clauses.append("missing keys: \(list(missing))") }
        if !unexpected.isEmpty { clauses.append("unexpected keys: \(list(unexpected))") }
        if !mismatched.isEmpty { clauses.append("mis-shaped keys: \(list(mismatched.map(\.description)))") }
        return clauses.joined(separator: "; ")
    }
}

/// Items to put into an index: their embeddings, class names and where they came from.
public struct IndexItems: Sendable {
    /// n × d embeddings, row-major.
    public var embeddings: [Float]
    /// Each item's class name.
    public var classNames: [String]
    /// Where the items came from (its count must be n).
    public var source: ItemSource

    /// Items with one class name per embedding row.
    public init(embeddings: [Float], classNames: [String], source: ItemSource) {
        precondition(source.count == classNames.count, "\(source.count) source items for \(classNames.count) names")
        self.embeddings = embeddings
        self.classNames = classNames
        self.source = source
    }

    /// The number of items.
    public var count: Int { classNames.count }
}

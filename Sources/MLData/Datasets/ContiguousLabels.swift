/// Renumbers class ids to 0..<C in ascending id order (the numbering a classifier needs).
enum ContiguousLabels {
    /// `ids` renumbered; equal ids get equal labels.
    static func of<ID: Hashable & Comparable>(_ ids: [ID]) -> [Int] {
        let map = Dictionary(uniqueKeysWithValues: Set(ids).sorted().enumerated().map { ($1, $0) })
        return ids.map { map[$0] ?? 0 }
    }

    /// The name of each renumbered label: `name` of the ids in ascending order (label i is the i-th id).
    static func names<ID: Hashable & Comparable>(_ ids: [ID], _ name: (ID) -> String) -> [String] {
        Set(ids).sorted().map(name)
    }

    /// Several splits renumbered with one shared map (query and gallery must agree).
    static func shared<ID: Hashable & Comparable>(_ splits: [[ID]]) -> [[Int]] {
        let all = of(splits.flatMap { $0 })
        var start = 0
        return splits.map { ids in
            defer { start += ids.count }
            return Array(all[start..<(start + ids.count)])
        }
    }
}

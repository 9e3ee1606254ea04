/// A MATLAB array read from a MAT v5 file. Arrays are column-major, as MATLAB stores them.
public indirect enum MATValue: Sendable, Equatable {
    /// A numeric or logical array, whatever its stored class, as doubles.
    case numeric(dimensions: [Int], values: [Double])
    /// A char array: one string per row.
    case text(dimensions: [Int], rows: [String])
    /// A cell array's elements in column-major order.
    case cell(dimensions: [Int], elements: [MATValue])
    /// A struct array: field names, then each element's field values (in `fieldNames` order), column-major.
    case structure(dimensions: [Int], fieldNames: [String], elements: [[MATValue]])

    /// The array's dimensions.
    public var dimensions: [Int] {
        switch self {
        case .numeric(let d, _), .text(let d, _), .cell(let d, _), .structure(let d, _, _): d
        }
    }

    /// The number of elements (the product of the dimensions; for text, the number of rows).
    public var count: Int {
        switch self {
        case .text(_, let rows): rows.count
        default: dimensions.reduce(1, *)
        }
    }

    /// The single number of a numeric array with one element.
    public var scalar: Double? {
        if case .numeric(_, let values) = self, values.count == 1 { return values[0] }
        return nil
    }

    /// The string of a one-row char array (an empty char array gives "").
    public var string: String? {
        if case .text(_, let rows) = self, rows.count <= 1 { return rows.first ?? "" }
        return nil
    }

    /// Field `name` of struct element `index`, nil when this is not a struct or has no such field.
    public func field(_ name: String, at index: Int) -> MATValue? {
        guard case .structure(_, let names, let elements) = self, elements.indices.contains(index),
              let f = names.firstIndex(of: name) else { return nil }
        return elements[index][f]
    }

    /// The field names of a struct array (empty for other arrays).
    public var fieldNames: [String] {
        if case .structure(_, let names, _) = self { return names }
        return []
    }
}

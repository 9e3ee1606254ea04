/// Walks the data elements of a MAT v5 byte stream (the parser behind `MATFile`).
struct MATReader {
    /// MAT v5 data types (the tag's type field).
    private enum DataType: Int {
        case int8 = 1, uint8, int16, uint16, int32, uint32, single, double = 9, int64 = 12, uint64
        case matrix, compressed, utf8, utf16, utf32
    }

    /// MATLAB array classes (the low byte of the array flags).
    private enum ArrayClass: Int {
        case cell = 1, structure, object, char, sparse, double, single, int8, uint8, int16, uint16, int32, uint32
        case int64, uint64
    }

    /// A data element: its type and the byte range of its data.
    private struct Element {
        var type: Int
        var data: Range<Int>
    }

    let bytes: [UInt8]
    let bigEndian: Bool
    let path: String
    var offset = 0

    init(bytes: [UInt8], bigEndian: Bool, path: String) {
        self.bytes = bytes
        self.bigEndian = bigEndian
        self.path = path
    }

    /// Reads one top-level variable (a matrix, possibly compressed); nil name for elements that are not arrays.
    mutating func readVariable() throws -> (String?, MATValue) {
        let element = try readElement()
        switch element.type {
        case DataType.compressed.rawValue:
            let inflated = try Inflate.decompress(Array(bytes[element.data]), path: path)
            var inner = MATReader(bytes: inflated, bigEndian: bigEndian, path: path)
            return try inner.readVariable()
        case DataType.matrix.rawValue:
            return try readMatrix(element)
        default:
            return (nil, .numeric(dimensions: [0, 0], values: []))
        }
    }

    /// Reads the tag at `offset` and moves past the element (data padded to 8 bytes, except compressed).
    private mutating func readElement() throws -> Element {
        guard offset + 8 <= bytes.count else { throw truncated("a data element tag at byte \(offset)") }
        let first = uint32(at: offset)
        if first >> 16 != 0 {
            // Small data element: size in the upper 16 bits, up to 4 bytes of data inside the tag.
            let size = Int(first >> 16)
            guard size <= 4 else { throw malformed("small data element of \(size) bytes at byte \(offset)") }
            let element = Element(type: Int(first & 0xFFFF), data: (offset + 4)..<(offset + 4 + size))
            offset += 8
            return element
        }
        let size = Int(uint32(at: offset + 4))
        let start = offset + 8
        guard start + size <= bytes.count else {
            throw truncated("element of \(size) bytes at byte \(offset), file has \(bytes.count - start) left")
        }
        let type = Int(first)
        offset = type == DataType.compressed.rawValue ? start + size : min(bytes.count, start + (size + 7) / 8 * 8)
        return Element(type: type, data: start..<(start + size))
    }

    /// Parses a miMATRIX element: array flags, dimensions, name, then the class's data.
    private mutating func readMatrix(_ element: Element) throws -> (String?, MATValue) {
        if element.data.isEmpty { return (nil, .numeric(dimensions: [0, 0], values: [])) }
        var inner = MATReader(bytes: bytes, bigEndian: bigEndian, path: path)
        inner.offset = element.data.lowerBound
        let flags = try inner.readElement()
        guard flags.data.count >= 4 else { throw malformed("array flags of \(flags.data.count) bytes") }
        let flagWord = inner.uint32(at: flags.data.lowerBound)
        let dimensions = try inner.readNumbers(inner.readElement()).map { Int($0) }
        let name = String(decoding: inner.bytes[try inner.readElement().data], as: UTF8.self)
        guard let arrayClass = ArrayClass(rawValue: Int(flagWord & 0xFF)) else {
            throw malformed("unknown array class \(flagWord & 0xFF) for '\(name)'")
        }
        let count = dimensions.reduce(1, *)
        let value: MATValue
        switch arrayClass {
        case .cell:
            value = .cell(dimensions: dimensions, elements: try (0..<count).map { _ in try inner.readChild() })
        case .structure:
            let nameLength = Int(try inner.readNumbers(inner.readElement()).first ?? 0)
            let namesData = try inner.readElement().data
            let fieldNames = nameLength == 0 ? [] : stride(from: namesData.lowerBound, to: namesData.upperBound, by: nameLength).map {
                String(decoding: inner.bytes[$0..<min($0 + nameLength, namesData.upperBound)].prefix { $0 != 0 }, as: UTF8.self)
            }
            let elements = try (0..<count).map { _ in try fieldNames.map { _ in try inner.readChild() } }
            value = .structure(dimensions: dimensions, fieldNames: fieldNames, elements: elements)
        case .char:
            value = .text(dimensions: dimensions, rows: try inner.readText(inner.readElement(), dimensions: dimensions))
        case .object, .sparse:
            throw DataFileError(path: path, "variable '\(name)': \(arrayClass) arrays are not supported")
        default:
            let values = try inner.readNumbers(inner.readElement())
            guard values.count == count else {
                throw malformed("'\(name)' has dimensions \(dimensions) but \(values.count) values")
            }
            value = .numeric(dimensions: dimensions, values: values)
        }
        return (name.isEmpty ? nil : name, value)
    }

    /// Reads a nested miMATRIX (a cell or struct field's value).
    private mutating func readChild() throws -> MATValue {
        let element = try readElement()
        guard element.type == DataType.matrix.rawValue else {
            throw malformed("expected a nested array, found data type \(element.type)")
        }
        return try readMatrix(element).1
    }

    /// The numbers of a numeric data element, converted to Double.
    private func readNumbers(_ element: Element) throws -> [Double] {
        guard let type = DataType(rawValue: element.type) else { throw malformed("unknown data type \(element.type)") }
        let start = element.data.lowerBound
        func values(width: Int, _ convert: (Int) -> Double) -> [Double] {
            (0..<(element.data.count / width)).map { convert(start + $0 * width) }
        }
        switch type {
        case .int8: return values(width: 1) { Double(Int8(bitPattern: bytes[$0])) }
        case .uint8, .utf8: return values(width: 1) { Double(bytes[$0]) }
        case .int16: return values(width: 2) { Double(Int16(bitPattern: UInt16(truncatingIfNeeded: unsigned($0, 2)))) }
        case .uint16, .utf16: return values(width: 2) { Double(unsigned($0, 2)) }
        case .int32: return values(width: 4) { Double(Int32(bitPattern: UInt32(truncatingIfNeeded: unsigned($0, 4)))) }
        case .uint32, .utf32: return values(width: 4) { Double(unsigned($0, 4)) }
        case .int64: return values(width: 8) { Double(Int64(bitPattern: unsigned($0, 8))) }
        case .uint64: return values(width: 8) { Double(unsigned($0, 8)) }
        case .single: return values(width: 4) { Double(Float(bitPattern: UInt32(truncatingIfNeeded: unsigned($0, 4)))) }
        case .double: return values(width: 8) { Double(bitPattern: unsigned($0, 8)) }
        case .matrix, .compressed: throw malformed("expected numbers, found data type \(type)")
        }
    }

    /// The rows of a char array (stored column-major as UTF-8 bytes or UTF-16/32 code units).
    private func readText(_ element: Element, dimensions: [Int]) throws -> [String] {
        let rowCount = dimensions.first ?? 0
        let columnCount = dimensions.dropFirst().reduce(1, *)
        if element.type == DataType.utf8.rawValue && rowCount <= 1 {
            return rowCount == 0 ? [] : [String(decoding: bytes[element.data], as: UTF8.self)]
        }
        let units = try readNumbers(element).map { UInt32($0) }
        guard units.count == rowCount * columnCount else {
            throw malformed("char array of dimensions \(dimensions) has \(units.count) characters")
        }
        return (0..<rowCount).map { row in
            let scalars = (0..<columnCount).compactMap { Unicode.Scalar(units[row + $0 * rowCount]) }
            return String(String.UnicodeScalarView(scalars))
        }
    }

    /// The unsigned integer of `width` bytes at `position` in the file's byte order.
    private func unsigned(_ position: Int, _ width: Int) -> UInt64 {
        (0..<width).reduce(0) { value, i in
            let byte = UInt64(bytes[position + (bigEndian ? i : width - 1 - i)])
            return value << 8 | byte
        }
    }

    private func uint32(at position: Int) -> UInt32 { UInt32(unsigned(position, 4)) }

    private func truncated(_ what: String) -> DataFileError { DataFileError(path: path, "truncated MAT file: \(what)") }

    private func malformed(_ what: String) -> DataFileError { DataFileError(path: path, "malformed MAT file: \(what)") }
}

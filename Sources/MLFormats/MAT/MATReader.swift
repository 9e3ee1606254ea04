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

    /// How deeply cells and structs may nest (the Cars annotations nest two levels). Deeper files are
    /// refused rather than parsed recursively into values whose release would recurse as deeply.
    static let maximumDepth = 32

    let bytes: [UInt8]
    let bigEndian: Bool
    let path: String
    /// The next element's offset, and the end of the element being read (no child reaches past it).
    var offset = 0
    private var end: Int
    /// How many arrays enclose the one being read.
    private let depth: Int
    /// Whether these bytes came out of a compressed element (which may not nest).
    private let inflated: Bool

    init(bytes: [UInt8], bigEndian: Bool, path: String) {
        self.init(bytes: bytes, bigEndian: bigEndian, path: path, end: bytes.count, depth: 0, inflated: false)
    }

    private init(bytes: [UInt8], bigEndian: Bool, path: String, end: Int, depth: Int, inflated: Bool) {
        self.bytes = bytes
        self.bigEndian = bigEndian
        self.path = path
        self.end = end
        self.depth = depth
        self.inflated = inflated
    }

    /// Reads one top-level variable (a matrix, possibly compressed); nil name for elements that are not arrays.
    mutating func readVariable() throws -> (String?, MATValue) {
        let element = try readElement()
        switch element.type {
        case DataType.compressed.rawValue:
            guard !inflated else { throw malformed("a compressed element inside a compressed element") }
            let contents = try inflate(element)
            var inner = MATReader(bytes: contents, bigEndian: bigEndian, path: path, end: contents.count, depth: 0, inflated: true)
            return try inner.readVariable()
        case DataType.matrix.rawValue:
            return try readMatrix(element)
        default:
            return (nil, .numeric(dimensions: [0, 0], values: []))
        }
    }

    /// The element a compressed element holds, inflated exactly to the size its tag declares.
    private func inflate(_ element: Element) throws -> [UInt8] {
        let stream = try InflateStream(Array(bytes[element.data]), format: .zlibOrGzip, path: path)
        let tag = try stream.read(8)
        let header = MATReader(bytes: tag, bigEndian: bigEndian, path: path)
        // A small element keeps its data inside the tag.
        let size = header.uint32(at: 0) >> 16 != 0 ? 0 : Int(header.uint32(at: 4))
        let data = try stream.read(size)
        try stream.finish()
        return tag + data
    }

    /// Reads the tag at `offset` and moves past the element (data padded to 8 bytes, except compressed).
    private mutating func readElement() throws -> Element {
        guard offset <= end - 8 else { throw truncated("a data element tag at byte \(offset)") }
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
        guard size <= end - start else {
            throw truncated("element of \(size) bytes at byte \(offset), \(end - start) left")
        }
        let type = Int(first)
        offset = type == DataType.compressed.rawValue ? start + size : min(end, start + (size + 7) / 8 * 8)
        return Element(type: type, data: start..<(start + size))
    }

    /// Parses a miMATRIX element: array flags, dimensions, name, then the class's data.
    private mutating func readMatrix(_ element: Element) throws -> (String?, MATValue) {
        if element.data.isEmpty { return (nil, .numeric(dimensions: [0, 0], values: [])) }
        guard depth < Self.maximumDepth else {
            throw malformed("arrays nested more than \(Self.maximumDepth) levels deep at byte \(element.data.lowerBound)")
        }
        var inner = MATReader(bytes: bytes, bigEndian: bigEndian, path: path, end: element.data.upperBound,
                              depth: depth + 1, inflated: inflated)
        inner.offset = element.data.lowerBound
        let flags = try inner.readElement()
        guard flags.data.count >= 4 else { throw malformed("array flags of \(flags.data.count) bytes") }
        let flagWord = inner.uint32(at: flags.data.lowerBound)
        let dimensions = try inner.readDimensions()
        let name = String(decoding: inner.bytes[try inner.readElement().data], as: UTF8.self)
        guard let arrayClass = ArrayClass(rawValue: Int(flagWord & 0xFF)) else {
            throw malformed("unknown array class \(flagWord & 0xFF) for '\(name)'")
        }
        guard let count = dimensions.checkedProduct else {
            throw malformed("'\(name)' has dimensions \(dimensions), more elements than memory can address")
        }
        let value: MATValue
        switch arrayClass {
        case .cell:
            try inner.requireRoom(for: count, "cell array '\(name)' of dimensions \(dimensions)")
            value = .cell(dimensions: dimensions, elements: try (0..<count).map { _ in try inner.readChild() })
        case .structure:
            let nameLength = try inner.readNumbers(inner.readElement()).first ?? 0
            guard let width = Int(exactly: nameLength), width >= 0 else { throw malformed("field name length \(nameLength) of '\(name)'") }
            let namesData = try inner.readElement().data
            let fieldNames = width == 0 ? [] : stride(from: namesData.lowerBound, to: namesData.upperBound, by: width).map {
                String(decoding: inner.bytes[$0..<min($0 + width, namesData.upperBound)].prefix { $0 != 0 }, as: UTF8.self)
            }
            try inner.requireRoom(for: count.checkedTimes(max(fieldNames.count, 1)) ?? Int.max,
                                  "struct array '\(name)' of dimensions \(dimensions) with \(fieldNames.count) fields")
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

    /// The dimensions element: whole numbers from 0 to Int32.max.
    private mutating func readDimensions() throws -> [Int] {
        try readNumbers(readElement()).map { value in
            guard let dimension = Int(exactly: value), (0...Int(Int32.max)).contains(dimension) else {
                throw malformed("dimension \(value) at byte \(offset)")
            }
            return dimension
        }
    }

    /// Throws unless the rest of the enclosing element can hold `count` nested arrays (a tag of 8 bytes
    /// each): dimensions that claim more are refused before anything is allocated for them.
    private func requireRoom(for count: Int, _ what: String) throws {
        let room = (end - offset) / 8
        guard count <= room else {
            throw malformed("\(what) claims \(count) elements, its \(end - offset) bytes hold at most \(room)")
        }
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
        guard rowCount > 0, let columnCount = dimensions.dropFirst().checkedProduct else { return [] }
        // Rows of no characters cost memory the file does not hold (13 million of them from 287 bytes).
        guard columnCount > 0 || rowCount == 1 else {
            throw malformed("char array of dimensions \(dimensions) claims \(rowCount) rows of no characters")
        }
        if element.type == DataType.utf8.rawValue && rowCount == 1 {
            return [String(decoding: bytes[element.data], as: UTF8.self)]
        }
        let units = try readNumbers(element).map { value in
            guard let unit = UInt32(exactly: value) else { throw malformed("character code \(value) in a char array") }
            return unit
        }
        guard units.count == rowCount.checkedTimes(columnCount) else {
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

import Foundation

/// A NumPy `.npy` array: format versions 1–3, little-endian, C (row-major) order.
///
/// Holds the element bytes; `floats()` and `integers()` decode them. Writing produces version 1.0 float32
/// files with numpy's 64-byte header alignment, which `numpy.load` reads.
public struct NumPyArray: Sendable {
    /// The array's dimensions.
    public let shape: [Int]
    /// The element type.
    public let dtype: TensorDType
    /// The file the array came from, named in errors.
    public let source: String
    private let elements: Data

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Reads the `.npy` file at `url`.
    /// - Throws: `DataFileError` naming the file for a bad magic string or header, an unsupported dtype
    ///   (big-endian, Fortran order, structured), or a size that does not match the shape.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: .mappedFile(at: url) { DataFileError(path: url.path, $0) }, source: url.path)
    }

    /// Parses a `.npy` file held in `bytes`; `source` names it in errors.
    public init(bytes: Data, source: String) throws {
        func fail(_ reason: String) -> DataFileError { DataFileError(path: source, reason) }
        let bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not a .npy file (bad magic string)") }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        guard (1...3).contains(major), bytes.count >= 8 + lengthBytes else {
            throw fail("unsupported .npy format version \(major).\(bytes[7])")
        }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataStart = 8 + lengthBytes + headerLength
        guard dataStart <= bytes.count,
              let header = String(data: bytes[(8 + lengthBytes)..<dataStart], encoding: major == 3 ? .utf8 : .isoLatin1)
        else { throw fail("header of \(headerLength) bytes runs past the end of the file") }
        let fields = try Self.parseHeader(header, fail: fail)
        dtype = fields.dtype
        shape = fields.shape
        self.source = source
        guard let needed = shape.checkedProduct?.checkedTimes(dtype.byteCount) else {
            throw fail("shape \(shape) of \(dtype.rawValue) needs more bytes than memory can address")
        }
        guard bytes.count - dataStart == needed else {
            throw fail("shape \(shape) of \(dtype.rawValue) needs \(needed) data bytes, the file has \(bytes.count - dataStart)")
        }
        elements = bytes.subdata(in: dataStart..<bytes.count)
    }

    /// The values as Float32, flattened row-major (integers converted).
    public func floats() -> [Float] {
        elements.withUnsafeBytes { dtype.floats(from: $0, count: count) }
    }

    /// The values as integers, flattened row-major.
    /// - Throws: `DataFileError` when the array holds floating-point values.
    public func integers() throws -> [Int] {
        guard !dtype.isFloatingPoint else {
            throw DataFileError(path: source, "holds \(dtype.rawValue) values, expected integers")
        }
        return elements.withUnsafeBytes { dtype.integers(from: $0, count: count) }
    }

    /// `values` (row-major, `shape`) as a version 1.0 `.npy` file of little-endian float32.
    public static func encoded(_ values: [Float], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        #if _endian(big)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        #else
        values.withUnsafeBufferPointer { data.append($0) }
        #endif
        return data
    }

    /// Writes `values` (row-major, `shape`) to `url` as a float32 `.npy` file (atomically).
    public static func write(_ values: [Float], shape: [Int], to url: URL) throws {
        try AtomicFile.write(encoded(values, shape: shape), to: url)
    }

    /// The dtype and shape of a header such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    private static func parseHeader(
        _ header: String, fail: (String) -> DataFileError
    ) throws -> (dtype: TensorDType, shape: [Int]) {
        func value(of key: String, until end: Character) throws -> Substring {
            guard let keyRange = header.range(of: "'\(key)':") else { throw fail("header has no '\(key)': \(header)") }
            let rest = header[keyRange.upperBound...].drop { $0 == " " }
            let close = end == "," ? rest.firstIndex(of: ",") : rest.firstIndex(of: end).map { rest.index(after: $0) }
            guard let stop = close else { throw fail("malformed '\(key)' in header: \(header)") }
            return rest[..<stop]
        }
        let descr = try value(of: "descr", until: ",").trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        let types: [String: TensorDType] = [
            "f4": .float32, "f8": .float64, "f2": .float16, "i8": .int64, "i4": .int32, "i2": .int16,
            "i1": .int8, "u1": .uint8, "b1": .bool,
        ]
        guard let order = descr.first, "<|=".contains(order), let dtype = types[String(descr.dropFirst())] else {
            throw fail("unsupported dtype '\(descr)' (expected little-endian float or integer)")
        }
        guard try value(of: "fortran_order", until: ",").trimmingCharacters(in: .whitespaces) == "False" else {
            throw fail("Fortran-order arrays are not supported; save a C-order array")
        }
        let shapeText = try value(of: "shape", until: ")").trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        let parts = shapeText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else { throw fail("malformed shape in header: \(header)") }
        return (dtype, shape)
    }
}

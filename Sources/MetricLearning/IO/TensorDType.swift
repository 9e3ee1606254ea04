/// The element types of the safetensors format (and of PyTorch storages), with their little-endian
/// encodings.
public enum TensorDType: String, CaseIterable, Sendable {
    case float64 = "F64", float32 = "F32", float16 = "F16", bfloat16 = "BF16"
    case int64 = "I64", int32 = "I32", int16 = "I16", int8 = "I8", uint8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// Whether the elements are floating-point numbers.
    public var isFloatingPoint: Bool {
        switch self {
        case .float64, .float32, .float16, .bfloat16: true
        default: false
        }
    }

    /// Decodes `count` elements from `bytes` (little-endian, unaligned) as Float32 values; integers and
    /// booleans convert to their nearest Float.
    func floats(from bytes: UnsafeRawBufferPointer, count: Int) -> [Float] {
        switch self {
        case .float64: return (0..<count).map { Float(Double(bitPattern: bytes.loadLE(UInt64.self, $0))) }
        case .float32: return (0..<count).map { Float(bitPattern: bytes.loadLE(UInt32.self, $0)) }
        case .float16: return (0..<count).map { Float(Float16(bitPattern: bytes.loadLE(UInt16.self, $0))) }
        case .bfloat16: return (0..<count).map { Float(bitPattern: UInt32(bytes.loadLE(UInt16.self, $0)) << 16) }
        default: return integers(from: bytes, count: count).map { Float($0) }
        }
    }

    /// Decodes `count` elements from `bytes` as integers; nil for floating-point types.
    func integers(from bytes: UnsafeRawBufferPointer, count: Int) -> [Int] {
        switch self {
        case .int64: return (0..<count).map { Int(Int64(bitPattern: bytes.loadLE(UInt64.self, $0))) }
        case .int32: return (0..<count).map { Int(Int32(bitPattern: bytes.loadLE(UInt32.self, $0))) }
        case .int16: return (0..<count).map { Int(Int16(bitPattern: bytes.loadLE(UInt16.self, $0))) }
        case .int8: return (0..<count).map { Int(Int8(bitPattern: bytes[$0])) }
        case .uint8: return (0..<count).map { Int(bytes[$0]) }
        case .bool: return (0..<count).map { bytes[$0] == 0 ? 0 : 1 }
        case .float64, .float32, .float16, .bfloat16: preconditionFailure("\(rawValue) is not an integer type")
        }
    }

    /// Appends `values` encoded in this floating-point type (round to nearest even) to `bytes`.
    func append(floats values: [Float], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + values.count * byteCount)
        switch self {
        case .float64: for v in values { bytes.appendLE(Double(v).bitPattern) }
        case .float32: for v in values { bytes.appendLE(v.bitPattern) }
        case .float16: for v in values { bytes.appendLE(Float16(v).bitPattern) }
        case .bfloat16: for v in values { bytes.appendLE(Self.bfloat16Bits(v)) }
        default: preconditionFailure("\(rawValue) is not a floating-point type")
        }
    }

    /// The range of integers this integer type holds.
    var integerRange: ClosedRange<Int> {
        switch self {
        case .int64: Int.min...Int.max
        case .int32: Int(Int32.min)...Int(Int32.max)
        case .int16: Int(Int16.min)...Int(Int16.max)
        case .int8: Int(Int8.min)...Int(Int8.max)
        case .uint8: 0...255
        case .bool: 0...1
        case .float64, .float32, .float16, .bfloat16: preconditionFailure("\(rawValue) is not an integer type")
        }
    }

    /// Appends `values` (each within `integerRange`) encoded in this integer type to `bytes`.
    func append(integers values: [Int], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + values.count * byteCount)
        for v in values {
            switch self {
            case .int64: bytes.appendLE(UInt64(bitPattern: Int64(v)))
            case .int32: bytes.appendLE(UInt32(bitPattern: Int32(v)))
            case .int16: bytes.appendLE(UInt16(bitPattern: Int16(v)))
            case .int8: bytes.append(UInt8(bitPattern: Int8(v)))
            case .uint8, .bool: bytes.append(UInt8(v))
            case .float64, .float32, .float16, .bfloat16: preconditionFailure("\(rawValue) is not an integer type")
            }
        }
    }

    /// The bfloat16 nearest to `value` (ties to even; NaN stays a quiet NaN).
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}

extension UnsafeRawBufferPointer {
    /// The `index`-th little-endian `T` in this buffer, read unaligned.
    func loadLE<T: FixedWidthInteger>(_ type: T.Type, _ index: Int) -> T {
        loadLE(type, byteOffset: index * MemoryLayout<T>.size)
    }

    /// The little-endian `T` at `byteOffset`, read unaligned.
    func loadLE<T: FixedWidthInteger>(_ type: T.Type, byteOffset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: byteOffset, as: T.self))
    }
}

extension Array where Element == UInt8 {
    /// Appends `value`'s bytes, least significant first.
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

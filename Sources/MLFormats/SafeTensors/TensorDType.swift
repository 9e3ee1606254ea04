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

    /// Decodes `output.count` elements from `bytes` (little-endian, unaligned) into `output` as Float32;
    /// integers and booleans convert to their nearest Float. `bytes` must hold that many elements.
    func decode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(bytes.count >= output.count * byteCount, "\(bytes.count) bytes hold fewer than \(output.count) \(rawValue) elements")
        switch self {
        case .float32:
            guard let source = bytes.baseAddress, let target = output.baseAddress else { return }
            UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: output.count * 4)
            #if _endian(big)
            for i in output.indices { output[i] = Float(bitPattern: UInt32(littleEndian: output[i].bitPattern)) }
            #endif
        case .float64: for i in output.indices { output[i] = Float(Double(bitPattern: bytes.loadLE(UInt64.self, i))) }
        case .float16: for i in output.indices { output[i] = Float(Float16(bitPattern: bytes.loadLE(UInt16.self, i))) }
        case .bfloat16: for i in output.indices { output[i] = Float(bitPattern: UInt32(bytes.loadLE(UInt16.self, i)) << 16) }
        default: for i in output.indices { output[i] = Float(integer(at: i, in: bytes)) }
        }
    }

    /// Decodes `count` elements from `bytes` as Float32 values.
    func floats(from bytes: UnsafeRawBufferPointer, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            decode(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }

    /// Decodes `count` elements from `bytes` as integers; requires an integer type.
    func integers(from bytes: UnsafeRawBufferPointer, count: Int) -> [Int] {
        precondition(bytes.count >= count * byteCount, "\(bytes.count) bytes hold fewer than \(count) \(rawValue) elements")
        return (0..<count).map { integer(at: $0, in: bytes) }
    }

    /// The `index`-th element of `bytes` in this integer type.
    private func integer(at index: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        switch self {
        case .int64: Int(Int64(bitPattern: bytes.loadLE(UInt64.self, index)))
        case .int32: Int(Int32(bitPattern: bytes.loadLE(UInt32.self, index)))
        case .int16: Int(Int16(bitPattern: bytes.loadLE(UInt16.self, index)))
        case .int8: Int(Int8(bitPattern: bytes[index]))
        case .uint8: Int(bytes[index])
        case .bool: bytes[index] == 0 ? 0 : 1
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

import Foundation

extension SafeTensorsFile {
    /// An empty file to which tensors are added, then written with `write(to:)`.
    public init(metadata: [String: String] = [:], source: String = "<new safetensors file>") {
        self.init(source: source, metadata: metadata, tensors: [], storage: Data(), dataStart: 0)
    }

    /// Appends `values` (row-major) of `shape` under `name`, stored as the floating-point `dtype` (rounded
    /// to nearest even for F16 and BF16). Requires a new name and a floating-point dtype.
    public mutating func add(floats values: [Float], shape: [Int], named name: String, as dtype: TensorDType = .float32) {
        precondition(dtype.isFloatingPoint, "use add(integers:) for \(dtype.rawValue)")
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        var bytes: [UInt8] = []
        dtype.append(floats: values, to: &bytes)
        append(name: name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// Appends integer `values` (e.g. labels) of `shape` (default one dimension) under `name` as the
    /// integer `dtype`. Throws when a value does not fit the dtype.
    public mutating func add(integers values: [Int], shape: [Int]? = nil, named name: String,
                             as dtype: TensorDType = .int64) throws {
        precondition(!dtype.isFloatingPoint, "use add(floats:shape:named:as:) for \(dtype.rawValue)")
        let shape = shape ?? [values.count]
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        let range = dtype.integerRange
        if let bad = values.firstIndex(where: { !range.contains($0) }) {
            throw SafeTensorsError(file: source, problem: "tensor '\(name)': value \(values[bad]) at index \(bad) does not fit \(dtype.rawValue)")
        }
        var bytes: [UInt8] = []
        dtype.append(integers: values, to: &bytes)
        append(name: name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// The file's bytes: header length, JSON header (padded with spaces to a multiple of 8), data.
    public func serialized() -> Data {
        var header = Data(headerJSON().utf8)
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        var result = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { result.append(contentsOf: $0) }
        result.append(header)
        result.append(dataBuffer)
        return result
    }

    /// Writes the file atomically to `url` (a failure leaves any previous file there intact).
    public func write(to url: URL) throws {
        try AtomicFile.write(serialized(), to: url)
    }

    /// The JSON header: metadata first, then the tensors in data order.
    private func headerJSON() -> String {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\(jsonString(Self.metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        for info in tensors {
            let shape = info.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(info.name)):{\"dtype\":\"\(info.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(info.byteRange.lowerBound),\(info.byteRange.upperBound)]}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

import Foundation

extension SafeTensorsFile {
    /// Reads and validates the safetensors file at `url` (memory-mapped; tensor bytes are read on use).
    ///
    /// Throws `SafeTensorsError` naming the file and the problem for anything the format forbids: a file
    /// shorter than its header, a header that is not a JSON object, metadata that is not string→string, an
    /// unknown dtype, a byte span that does not match shape × element size, or data offsets that overlap,
    /// leave gaps, or do not end exactly at the end of the file.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: .mappedFile(at: url) { SafeTensorsError(file: url.path, problem: $0) }, source: url.path)
    }

    /// Parses and validates a safetensors file held in `bytes`; `source` names it in errors.
    public init(bytes: Data, source: String = "<memory>") throws {
        func fail(_ problem: String) -> SafeTensorsError { SafeTensorsError(file: source, problem: problem) }
        let bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        guard bytes.count >= 8 else {
            throw fail("truncated file: \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let header = try Self.decodeHeader(bytes.subdata(in: 8..<dataStart), fail: fail)
        let tensors = try Self.validate(header.tensors, dataLength: bytes.count - dataStart, fail: fail)
        self.init(source: source, metadata: header.metadata, tensors: tensors, storage: bytes, dataStart: dataStart)
    }

    /// Decodes the tensor named `name` into `buffer` as Float32 values in row-major order (integers and
    /// booleans converted); `buffer` holds at least its element count.
    public func decodeFloats(named name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let info = try entry(name)
        precondition(buffer.count >= info.count, "a buffer of \(buffer.count) floats cannot hold tensor '\(name)' of \(info.count)")
        withBytes(of: info) { bytes in info.dtype.decode(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<info.count])) }
    }

    /// The integer tensor named `name` (e.g. labels) flattened row-major; throws for floating-point dtypes.
    public func integers(named name: String) throws -> [Int] {
        let info = try entry(name)
        guard !info.dtype.isFloatingPoint else {
            throw SafeTensorsError(file: source, problem: "tensor '\(name)' is \(info.dtype.rawValue), not an integer type")
        }
        return withBytes(of: info) { info.dtype.integers(from: $0, count: info.count) }
    }

    private func entry(_ name: String) throws -> TensorInfo {
        guard let info = info(name) else {
            let known = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
            throw SafeTensorsError(file: source, problem: "no tensor named '\(name)' (the file has \(known))")
        }
        return info
    }

    // MARK: Header

    private struct Header {
        var metadata: [String: String] = [:]
        var tensors: [(name: String, entry: Entry)] = []

        struct Entry {
            let dtype: String
            let shape: [Int]
            let dataOffsets: [Int]
        }
    }

    private static func decodeHeader(_ json: Data, fail: (String) -> SafeTensorsError) throws -> Header {
        guard String(data: json, encoding: .utf8) != nil else { throw fail("header is not valid UTF-8") }
        guard let object = try? JSONSerialization.jsonObject(with: json, options: .fragmentsAllowed) else {
            throw fail("header is not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw fail("header is not a JSON object") }
        var header = Header()
        for (key, value) in root {
            if key == metadataKey {
                guard let pairs = value as? [String: Any] else { throw fail("__metadata__ must map strings to strings") }
                for (name, text) in pairs {
                    guard let text = text as? String else {
                        throw fail("__metadata__ must map strings to strings ('\(name)' is not a string)")
                    }
                    header.metadata[name] = text
                }
                continue
            }
            guard let fields = value as? [String: Any] else { throw fail("entry '\(key)' is not a JSON object") }
            guard let dtype = fields["dtype"] as? String else { throw fail("entry '\(key)' lacks a string 'dtype'") }
            guard let shape = integers(fields["shape"]) else { throw fail("entry '\(key)' lacks an integer array 'shape'") }
            guard let offsets = integers(fields["data_offsets"]) else {
                throw fail("entry '\(key)' lacks an integer array 'data_offsets'")
            }
            header.tensors.append((key, Header.Entry(dtype: dtype, shape: shape, dataOffsets: offsets)))
        }
        return header
    }

    /// `value` as an array of integers, or nil when it is anything else (e.g. holds 1.5).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            guard let number = element as? NSNumber, NSNumber(value: number.intValue) == number else { return nil }
            result.append(number.intValue)
        }
        return result
    }

    /// Checks dtypes, shapes and offsets; returns the entries in data-buffer order.
    private static func validate(_ entries: [(name: String, entry: Header.Entry)], dataLength: Int,
                                 fail: (String) -> SafeTensorsError) throws -> [TensorInfo] {
        var infos: [TensorInfo] = []
        for (name, entry) in entries {
            guard let dtype = TensorDType(rawValue: entry.dtype) else {
                throw fail("tensor '\(name)' has unknown dtype '\(entry.dtype)' (known: \(TensorDType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard entry.shape.allSatisfy({ $0 >= 0 }) else { throw fail("tensor '\(name)' has a negative dimension in shape \(entry.shape)") }
            guard entry.dataOffsets.count == 2 else {
                throw fail("tensor '\(name)' has data_offsets \(entry.dataOffsets); expected [begin, end]")
            }
            let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
            guard 0 <= begin, begin <= end, end <= dataLength else {
                throw fail("tensor '\(name)' has data_offsets [\(begin), \(end)] outside the data buffer of \(dataLength) bytes")
            }
            var bytes = dtype.byteCount
            for dimension in entry.shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
                guard !overflow else { throw fail("tensor '\(name)' shape \(entry.shape) is too large") }
                bytes = product
            }
            guard bytes == end - begin else {
                throw fail("tensor '\(name)' (\(dtype.rawValue), shape \(entry.shape)) needs \(bytes) bytes but data_offsets [\(begin), \(end)] span \(end - begin)")
            }
            infos.append(TensorInfo(name: name, dtype: dtype, shape: entry.shape, byteRange: begin..<end))
        }
        infos.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }
        var position = 0
        for info in infos {
            if info.byteRange.lowerBound < position {
                throw fail("tensor '\(info.name)' data_offsets [\(info.byteRange.lowerBound), \(info.byteRange.upperBound)] overlap the previous tensor (ending at \(position))")
            }
            if info.byteRange.lowerBound > position {
                throw fail("gap in the data buffer: bytes \(position)..<\(info.byteRange.lowerBound) before tensor '\(info.name)' belong to no tensor")
            }
            position = info.byteRange.upperBound
        }
        guard position == dataLength else {
            throw fail("data buffer has \(dataLength) bytes but the tensors cover only \(position)")
        }
        return infos
    }
}

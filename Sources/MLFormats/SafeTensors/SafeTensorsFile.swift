import Foundation

/// A safetensors file: named tensors with dtype and shape, plus string metadata.
///
/// Layout (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into
/// the data buffer that follows) and optionally `__metadata__` to a string→string object, then the data
/// buffer, every tensor's bytes row-major little-endian. Reading is in `SafeTensorsFile+Reading.swift`,
/// writing in `SafeTensorsFile+Writing.swift`.
public struct SafeTensorsFile: @unchecked Sendable {
    /// Where one tensor lives in the data buffer.
    public struct TensorInfo: Sendable, Equatable {
        /// The tensor's name (a PyTorch `state_dict` key for model weights).
        public let name: String
        /// The element type as stored.
        public let dtype: TensorDType
        /// The dimensions, outermost first (empty for a scalar).
        public let shape: [Int]
        /// The byte range in the data buffer.
        public let byteRange: Range<Int>

        /// The number of elements.
        public var count: Int { shape.reduce(1, *) }
    }

    /// What the file was read from (a path, or a description for in-memory files); errors name it.
    public let source: String
    /// The `__metadata__` entries.
    public var metadata: [String: String]
    /// The tensors in data-buffer order.
    public private(set) var tensors: [TensorInfo]
    /// The bytes holding `dataStart` and then the data buffer (the whole file when read, memory-mapped).
    private(set) var storage: Data
    /// The offset of the data buffer in `storage`.
    let dataStart: Int

    init(source: String, metadata: [String: String], tensors: [TensorInfo], storage: Data, dataStart: Int) {
        self.source = source
        self.metadata = metadata
        self.tensors = tensors
        self.storage = storage
        self.dataStart = dataStart
    }

    /// The tensor names in data-buffer order.
    public var names: [String] { tensors.map(\.name) }

    /// The entry named `name`, if any.
    public func info(_ name: String) -> TensorInfo? { tensors.first { $0.name == name } }

    /// Calls `body` with the raw bytes of `info`'s tensor.
    func withBytes<R>(of info: TensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[(dataStart + info.byteRange.lowerBound)..<(dataStart + info.byteRange.upperBound)]))
        }
    }

    /// Appends a tensor's encoded bytes at the end of the data buffer.
    mutating func append(name: String, dtype: TensorDType, shape: [Int], bytes: [UInt8]) {
        precondition(name != SafeTensorsFile.metadataKey, "\(SafeTensorsFile.metadataKey) is reserved")
        precondition(info(name) == nil, "\(source) already holds a tensor named '\(name)'")
        precondition(bytes.count == shape.reduce(1, *) * dtype.byteCount, "byte count does not match shape \(shape)")
        let begin = storage.count - dataStart
        storage.append(contentsOf: bytes)
        tensors.append(TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<(begin + bytes.count)))
    }

    /// The data buffer (everything after the header).
    var dataBuffer: Data { storage.subdata(in: dataStart..<storage.count) }

    /// The header key holding the metadata.
    static let metadataKey = "__metadata__"
}

/// A safetensors file (or a tensor in one) that could not be read or used.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// The file (path or description).
    public let file: String
    /// What was wrong.
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

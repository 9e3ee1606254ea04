import Foundation

/// A PyTorch `.pth` file holding a state dict, as `torch.save` writes it since PyTorch 1.6 (the format of
/// torchvision's released weights): a zip archive with `<name>/data.pkl` (a pickle of an OrderedDict of
/// tensors whose storages are persistent ids) and the raw storages in `<name>/data/<key>`.
///
/// The pickle is read by a restricted unpickler that builds plain data only: the globals it accepts are
/// `collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`, `torch._utils._rebuild_parameter` and
/// the typed storage classes (`torch.FloatStorage`, …); any other global refuses the file with an error
/// naming it. Nothing in the file is executed. Storages are read (and CRC-checked) when a tensor is used.
public struct PyTorchFile: StateDictSource {
    public let source: String
    public let tensorNames: [String]
    private let tensors: [String: TorchTensor]
    private let archive: ZipArchive
    /// The archive's top folder with a trailing slash (e.g. `resnet50-0676ba61/`).
    private let prefix: String

    /// Reads the archive directory and the pickle of the file at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(archive: ZipArchive(contentsOf: url))
    }

    init(archive: ZipArchive) throws {
        let source = archive.source
        func fail(_ problem: String) -> PyTorchFileError { PyTorchFileError(file: source, problem: problem) }
        guard let pickle = archive.entries.first(where: {
            $0.name.hasSuffix("/data.pkl") && $0.name.split(separator: "/", omittingEmptySubsequences: false).count == 2
        }) else {
            throw fail("archive has no <name>/data.pkl entry (not written by torch.save)")
        }
        let prefix = String(pickle.name.dropLast("data.pkl".count))
        if let order = archive.entry(named: prefix + "byteorder"),
           String(decoding: try archive.contents(of: order), as: UTF8.self) != "little" {
            throw fail("storages are big-endian; only little-endian files are supported")
        }
        var unpickler = Unpickler(bytes: try archive.contents(of: pickle), source: source, resolver: TorchResolver(source: source))
        guard case .dict(let dict) = try unpickler.load() else { throw fail("data.pkl does not hold a dict of tensors") }
        var names: [String] = [], tensors: [String: TorchTensor] = [:]
        for (key, value) in dict.items {
            guard case .string(let name) = key else { throw fail("state dict key of type \(key.typeName) is not a string") }
            guard case .tensor(let tensor) = value else {
                throw fail("state dict entry '\(name)' is a \(value.typeName), not a tensor (a checkpoint holding more than a state dict?)")
            }
            guard tensors.updateValue(tensor, forKey: name) == nil else { throw fail("state dict lists '\(name)' twice") }
            names.append(name)
        }
        self.source = source
        self.archive = archive
        self.prefix = prefix
        self.tensorNames = names
        self.tensors = tensors
    }

    public func shape(of name: String) -> [Int]? { tensors[name]?.shape }

    /// The tensor named `name` as plain Float32 values (a scalar has shape [1]); reads its storage.
    public func tensor(named name: String) throws -> Tensor {
        func fail(_ problem: String) -> PyTorchFileError { PyTorchFileError(file: source, problem: "tensor '\(name)': \(problem)") }
        guard let tensor = tensors[name] else { throw PyTorchFileError(file: source, problem: "no tensor named '\(name)'") }
        let storage = tensor.storage
        guard let entry = archive.entry(named: prefix + "data/" + storage.key) else {
            throw fail("storage '\(storage.key)' is missing from the archive")
        }
        let bytes = try archive.contents(of: entry)
        guard bytes.count >= storage.count * storage.dtype.byteCount else {
            throw fail("storage '\(storage.key)' has \(bytes.count) bytes, \(storage.count) \(storage.dtype.rawValue) elements need \(storage.count * storage.dtype.byteCount)")
        }
        guard var result = Tensor.fromFile(shape: tensor.shape) else { throw fail("rank \(tensor.shape.count); at most 5 is supported") }
        let count = tensor.shape.reduce(1, *)
        guard count > 0 else { return result }
        let last = zip(tensor.shape, tensor.strides).reduce(tensor.offset) { $0 + ($1.0 - 1) * $1.1 }
        guard tensor.offset >= 0, tensor.strides.allSatisfy({ $0 >= 0 }), last < storage.count else {
            throw fail("view (offset \(tensor.offset), shape \(tensor.shape), strides \(tensor.strides)) reaches past its storage of \(storage.count) elements")
        }
        bytes.withUnsafeBytes { raw in
            let start = UnsafeRawBufferPointer(rebasing: raw[(tensor.offset * storage.dtype.byteCount)...])
            result.withUnsafeMutableStorage { storageBuffer in
                let output = UnsafeMutableBufferPointer(rebasing: storageBuffer[0..<count])
                if tensor.isContiguous {
                    storage.dtype.decode(start, into: output)
                } else {
                    let span = storage.dtype.floats(from: start, count: last - tensor.offset + 1)
                    for (position, index) in tensor.relativeIndices().enumerated() { output[position] = span[index] }
                }
            }
        }
        return result
    }
}

extension TorchTensor {
    /// Whether the strides are the row-major strides of the shape.
    var isContiguous: Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() where size != 1 {
            if stride != expected { return false }
            expected *= size
        }
        return true
    }

    /// The storage index (relative to `offset`) of each element in row-major order.
    func relativeIndices() -> [Int] {
        var result = [0]
        for (size, stride) in zip(shape, strides) {
            result = result.flatMap { base in (0..<size).map { base + $0 * stride } }
        }
        return result
    }
}

/// What a PyTorch state-dict pickle may refer to; everything else is refused.
private struct TorchResolver: PickleResolver {
    let source: String

    static let storageTypes: [String: TensorDType] = [
        "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16, "BFloat16Storage": .bfloat16,
        "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8,
        "ByteStorage": .uint8, "BoolStorage": .bool,
    ]
    static let functions: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
    ]

    private func fail(_ problem: String) -> PyTorchFileError { PyTorchFileError(file: source, problem: problem) }

    func global(module: String, name: String) throws -> PickleValue {
        let qualified = "\(module).\(name)"
        guard Self.functions.contains(qualified) || (module == "torch" && Self.storageTypes[name] != nil) else {
            throw fail("refusing to load: the pickle refers to '\(qualified)', which is not part of a tensor state dict "
                + "(allowed: \(Self.functions.sorted().joined(separator: ", ")), torch.*Storage)")
        }
        return .global(module: module, name: name)
    }

    func persistentLoad(_ id: PickleValue) throws -> PickleValue {
        guard case .tuple(let fields) = id, fields.count == 5, case .string("storage") = fields[0],
              case .global("torch", let typeName) = fields[1], let dtype = Self.storageTypes[typeName],
              case .string(let key) = fields[2], case .int(let count) = fields[4], count >= 0 else {
            throw fail("unsupported persistent id in data.pkl (expected ('storage', torch.<Type>Storage, key, location, count))")
        }
        return .storage(TorchStorage(dtype: dtype, key: key, count: count))
    }

    func call(_ callable: PickleValue, _ arguments: [PickleValue]) throws -> PickleValue {
        switch (callable, arguments.count) {
        case (.global("collections", "OrderedDict"), 0):
            return .dict(PickleDict())
        case (.global("torch._utils", "_rebuild_tensor_v2"), 6...7):
            guard case .storage(let storage) = arguments[0], case .int(let offset) = arguments[1],
                  let shape = integers(arguments[2]), let strides = integers(arguments[3]),
                  shape.count == strides.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("malformed _rebuild_tensor_v2 arguments in data.pkl")
            }
            return .tensor(TorchTensor(storage: storage, offset: offset, shape: shape, strides: strides))
        case (.global("torch._utils", "_rebuild_parameter"), 3):
            guard case .tensor = arguments[0] else { throw fail("_rebuild_parameter of a \(arguments[0].typeName)") }
            return arguments[0]
        default:
            throw fail("refusing to call \(callable.typeName) with \(arguments.count) arguments in data.pkl")
        }
    }

    func build(_ object: PickleValue, state: PickleValue) throws {
        // A state dict's OrderedDict carries `_metadata` (module versions) as state: not needed.
        guard case .dict = object else { throw fail("refusing to set the state of a \(object.typeName) in data.pkl") }
    }

    private func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .int(let v) = item else { return nil }
            result.append(v)
        }
        return result
    }
}

/// What a PyTorch state-dict pickle may refer to; everything else is refused.
struct TorchPickleResolver: PickleResolver {
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

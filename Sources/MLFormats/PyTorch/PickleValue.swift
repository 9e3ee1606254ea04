/// A value built by `Unpickler`: Python's plain data types, plus what a `PickleResolver` makes of globals,
/// persistent ids and calls (for PyTorch files: storages and tensors). Lists and dicts are references,
/// because pickle mutates them after they are memoized.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A reference to `module.name`, allowed by the resolver (never imported or run).
    case global(module: String, name: String)
    /// A tensor storage resolved from a persistent id.
    case storage(TorchStorage)
    /// A tensor rebuilt from a storage, offset, sizes and strides.
    case tensor(TorchTensor)

    /// A short name of the value's type for error messages.
    var typeName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let module, let name): "\(module).\(name)"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// A pickled list or dict: shared and mutable, so possibly part of a cycle; `Unpickler.load` empties
/// every one it made when the caller is done.
protocol PickleContainer: AnyObject {
    /// Drops the items.
    func removeAll()
}

/// A pickled list.
final class PickleList: PickleContainer {
    var items: [PickleValue] = []
    func removeAll() { items.removeAll() }
}

/// A pickled dict or `collections.OrderedDict` (insertion order kept).
final class PickleDict: PickleContainer {
    var items: [(key: PickleValue, value: PickleValue)] = []
    func removeAll() { items.removeAll() }
}

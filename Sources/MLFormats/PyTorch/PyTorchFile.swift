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
        var unpickler = Unpickler(bytes: try archive.contents(of: pickle), source: source, resolver: TorchPickleResolver(source: source))
        let entries = try unpickler.load { value -> [(String, TorchTensor)] in
            guard case .dict(let dict) = value else { throw fail("data.pkl does not hold a dict of tensors") }
            return try dict.items.map { key, value in
                guard case .string(let name) = key else { throw fail("state dict key of type \(key.typeName) is not a string") }
                guard case .tensor(let tensor) = value else {
                    throw fail("state dict entry '\(name)' is a \(value.typeName), not a tensor (a checkpoint holding more than a state dict?)")
                }
                return (name, tensor)
            }
        }
        var names: [String] = [], tensors: [String: TorchTensor] = [:]
        for (name, tensor) in entries {
            guard tensors.updateValue(tensor, forKey: name) == nil else { throw fail("state dict lists '\(name)' twice") }
            let storage = archive.entry(named: prefix + "data/" + tensor.storage.key)
            if let problem = tensor.problem(storageBytes: storage?.uncompressedSize) {
                throw fail("tensor '\(name)': \(problem)")
            }
            names.append(name)
        }
        self.source = source
        self.archive = archive
        self.prefix = prefix
        self.tensorNames = names
        self.tensors = tensors
    }

    public func shape(of name: String) -> [Int]? { tensors[name]?.shape }

    /// Decodes the tensor named `name` into `buffer` as Float32 values in row-major order (reading its
    /// storage); `buffer` holds at least its element count.
    public func decodeFloats(named name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        func fail(_ problem: String) -> PyTorchFileError { PyTorchFileError(file: source, problem: "tensor '\(name)': \(problem)") }
        guard let tensor = tensors[name] else { throw PyTorchFileError(file: source, problem: "no tensor named '\(name)'") }
        let storage = tensor.storage
        guard let entry = archive.entry(named: prefix + "data/" + storage.key) else {
            throw fail("storage '\(storage.key)' is missing from the archive")
        }
        // The view was checked against the directory's size of the storage when the file was opened, and
        // `contents(of:)` checks the entry expands to exactly that size.
        let bytes = try archive.contents(of: entry)
        let count = tensor.shape.reduce(1, *)
        precondition(buffer.count >= count, "a buffer of \(buffer.count) floats cannot hold tensor '\(name)' of \(count)")
        guard count > 0 else { return }
        let last = zip(tensor.shape, tensor.strides).reduce(tensor.offset) { $0 + ($1.0 - 1) * $1.1 }
        bytes.withUnsafeBytes { raw in
            let start = UnsafeRawBufferPointer(rebasing: raw[(tensor.offset * storage.dtype.byteCount)...])
            let output = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
            if tensor.isContiguous {
                storage.dtype.decode(start, into: output)
            } else {
                let span = storage.dtype.floats(from: start, count: last - tensor.offset + 1)
                for (position, index) in tensor.relativeIndices().enumerated() { output[position] = span[index] }
            }
        }
    }
}

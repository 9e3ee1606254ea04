import Foundation

/// A file of named tensors that model weights load from: safetensors files and PyTorch `.pth` files.
public protocol StateDictSource {
    /// What the tensors were read from (errors name it).
    var source: String { get }
    /// The tensor names, in file order.
    var tensorNames: [String] { get }
    /// The shape of the tensor named `name`, or nil when there is none.
    func shape(of name: String) -> [Int]?
    /// Decodes the tensor named `name` into `buffer` as Float32 values in row-major order; `buffer`
    /// holds at least its element count (the product of `shape(of:)`).
    func decodeFloats(named name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws
}

extension StateDictSource {
    /// The tensor named `name` as Float32 values in row-major order.
    public func floats(named name: String) throws -> [Float] {
        let count = shape(of: name)?.reduce(1, *) ?? 0
        return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: 0)
            initialized = count
            try decodeFloats(named: name, into: buffer)
        }
    }
}

extension SafeTensorsFile: StateDictSource {
    public var tensorNames: [String] { names }
    public func shape(of name: String) -> [Int]? { info(name)?.shape }
}

/// Opens weight files by their extension (`--pretrained`, checkpoints): `.safetensors`, or `.pth`/`.pt`
/// written by `torch.save`.
public enum WeightsFile {
    /// The extensions `open(_:)` understands.
    public static let supportedExtensions = ["safetensors", "pth"]

    /// The state dict in the file at `url`, read according to its extension.
    public static func open(_ url: URL) throws -> any StateDictSource {
        switch url.pathExtension.lowercased() {
        case "safetensors": return try SafeTensorsFile(contentsOf: url)
        case "pth", "pt": return try PyTorchFile(contentsOf: url)
        default:
            throw StateDictError(source: url.path, problem: "unsupported weights file extension '.\(url.pathExtension)' "
                + "(supported: \(supportedExtensions.map { "." + $0 }.joined(separator: ", ")))")
        }
    }
}

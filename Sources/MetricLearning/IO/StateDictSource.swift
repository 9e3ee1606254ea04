import Foundation

/// A file of named tensors that model weights load from: safetensors files and PyTorch `.pth` files.
public protocol StateDictSource {
    /// What the tensors were read from (errors name it).
    var source: String { get }
    /// The tensor names, in file order.
    var tensorNames: [String] { get }
    /// The shape of the tensor named `name`, or nil when there is none.
    func shape(of name: String) -> [Int]?
    /// The tensor named `name` as plain Float32 values.
    func tensor(named name: String) throws -> Tensor
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

extension Tensor {
    /// A zero plain tensor for a file tensor of `shape`: a scalar (rank 0) becomes shape [1]; nil for ranks
    /// above 5, which `Tensor`'s layouts do not cover.
    static func fromFile(shape: [Int]) -> Tensor? {
        guard shape.count <= 5 else { return nil }
        return Tensor(shape: shape.isEmpty ? [1] : shape)
    }
}

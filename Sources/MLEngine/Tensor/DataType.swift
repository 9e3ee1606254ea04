import CDNNL

/// The element type of a tensor's storage.
///
/// Float32 is the type of every tensor files, optimizers and Swift code read and write. BFloat16 (the
/// upper half of a Float32: 8 exponent bits, 8 significant bits) holds activations and weight copies of
/// a bf16 mixed-precision run (docs/precision.md); its values are read by converting to Float32.
public enum DataType: Sendable, Hashable {
    /// IEEE 754 single precision (oneDNN's `f32`).
    case float32
    /// bfloat16 (oneDNN's `bf16`): Float32's sign and exponent with 7 stored fraction bits.
    case bfloat16

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float32: 4
        case .bfloat16: 2
        }
    }

    /// oneDNN's name of the type.
    var dnnl: dnnl_data_type_t {
        switch self {
        case .float32: dnnl_f32
        case .bfloat16: dnnl_bf16
        }
    }

    /// The type oneDNN calls `value` (only the two above occur in tensors).
    init(_ value: dnnl_data_type_t) {
        switch value {
        case dnnl_f32: self = .float32
        case dnnl_bf16: self = .bfloat16
        default: preconditionFailure("tensors hold f32 or bf16, not oneDNN data type \(value.rawValue)")
        }
    }
}

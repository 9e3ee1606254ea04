import CDNNL

/// The arithmetic a network runs in: `fp32` everywhere, or `bf16` mixed precision — bfloat16 activations,
/// activation gradients and weight copies in the convolutional layers, with Float32 master weights,
/// gradients, optimizer, batch-norm statistics and everything after global pooling (docs/precision.md).
public enum Precision: String, Codable, Sendable, CaseIterable {
    /// Float32 everywhere.
    case fp32
    /// bfloat16 activations and weight copies in the backbone, Float32 everything else.
    case bf16

    /// The element type of the activations between layers.
    public var activationType: DataType {
        switch self {
        case .fp32: .float32
        case .bf16: .bfloat16
        }
    }

    /// Throws `PrecisionError` unless this CPU runs the precision natively. bf16 needs oneDNN's
    /// `avx512_core_bf16` (or AMX): on plain `avx512_core` oneDNN emulates it several times slower than
    /// fp32, and below that it has no bf16 primitives at all. `DNNL_MAX_CPU_ISA` lowers the effective ISA.
    public func checkSupported() throws {
        guard self == .bf16, !Engine.hasNativeBFloat16 else { return }
        throw PrecisionError(precision: self, isa: Engine.cpuISA)
    }
}

/// A precision the CPU does not run natively.
public struct PrecisionError: Error, CustomStringConvertible {
    /// The precision asked for.
    public let precision: Precision
    /// oneDNN's effective instruction set (`Engine.cpuISA`).
    public let isa: String

    public var description: String {
        "precision \(precision.rawValue) needs native bf16 (oneDNN ISA avx512_core_bf16 or avx512_core_amx); "
            + "oneDNN's effective ISA here is \(isa)"
            + (isa == "avx512_core" || isa == "avx512_core_vnni" ? ", where bf16 is emulated several times slower than fp32" : "")
    }
}

extension Engine {
    /// Whether oneDNN's effective ISA includes native bf16 (`avx512_core_bf16`, AMX). The ISA values are
    /// bit sets, so this tests bits rather than ordering (`avx2_vnni` is numerically larger but has none).
    public static var hasNativeBFloat16: Bool { isaIncludes(dnnl_cpu_isa_avx512_core_bf16) }

    /// Whether oneDNN can create bf16 primitives at all: `avx512_core` and up (emulated without native bf16).
    public static var canCreateBFloat16Primitives: Bool { isaIncludes(dnnl_cpu_isa_avx512_core) }

    private static func isaIncludes(_ isa: dnnl_cpu_isa_t) -> Bool {
        dnnl_get_effective_cpu_isa().rawValue & isa.rawValue == isa.rawValue
    }
}

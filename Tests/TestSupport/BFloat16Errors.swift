import Foundation
import MLEngine
import Testing

/// PyTorch autocast's own bf16 error on the cases of the float64 fixtures (`tools/reference/bf16.py`,
/// `bf16_errors.json`) and the bf16 tests' tolerance rule built on it.
package struct BFloat16Errors {
    /// Whether this CPU can create bf16 primitives (AVX-512; emulated without AVX512_BF16, which is fine for
    /// the small cases of the tests). The bf16 tests skip, saying so, only when it cannot.
    package static let canRun = Engine.canCreateBFloat16Primitives

    /// Why the bf16 tests skip on this CPU.
    package static var skipReason: Comment {
        "bf16 primitives need AVX-512 (oneDNN ISA avx512_core or newer); this CPU's effective ISA is \(Engine.cpuISA)"
    }

    /// error[fixture file][tensor name].
    private let errors: [String: [String: Double]]

    /// Reads `bf16_errors.json`; throws when it is missing or malformed.
    package init() throws {
        let (meta, _) = try Fixture.sections("bf16_errors.json", entries: "tensors")
        guard let errors = meta["bf16_error"] as? [String: [String: Double]] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "bf16_errors.json has no bf16_error"])
        }
        self.errors = errors
    }

    /// PyTorch autocast's norm-relative error on `tensor` of `fixture`.
    package func error(_ tensor: String, of fixture: String) -> Double {
        guard let value = errors[fixture]?[tensor] else {
            fatalError("bf16_errors.json has no error for \(fixture) \(tensor); rerun tools/reference/bf16.py")
        }
        return value
    }

    /// The bf16 tolerance of `tensor`: 3 × autocast's error, or the fp32 test's tolerance where that is larger
    /// (autocast's error below float32 noise, e.g. a loss that does not depend on the bf16 part).
    package func tolerance(_ tensor: String, of fixture: String, fp32Tolerance: Double) -> Double {
        max(3 * error(tensor, of: fixture), fp32Tolerance)
    }
}

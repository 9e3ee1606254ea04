import CLibFuzzer
import Foundation

/// The executable's entry point (SwiftPM links `main` to `dml_fuzz_main`): hands argv to libFuzzer's
/// driver with the target named by `DML_FUZZ_TARGET`.
@_cdecl("dml_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    _ = FuzzTarget.selected
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        FuzzTarget.selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}

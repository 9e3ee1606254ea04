import Foundation
@testable import MLFormats
import TestSupport
import Testing

/// Pickles that reach for code, written by tools/reference/hostile_pickles.py with Python's pickle and
/// torch.save: each file is refused with the global it names, before anything is called.
@Suite struct HostilePickleTests {
    static let cases: [(file: String, global: String)] = {
        do {
            let (_, entries) = try Fixture.sections("hostile_pickles.json", entries: "cases")
            return entries.keys.sorted().map { ($0, entries[$0]?["global"] as? String ?? "no global in the fixture") }
        } catch {
            return [("hostile_pickles.json", "unreadable fixture: \(error)")]
        }
    }()

    @Test func theFixtureCoversEveryKindOfGlobal() {
        let globals = Set(Self.cases.map(\.global))
        #expect(Self.cases.count == 14, "\(Self.cases)")
        // Protocol 2 writes Python 2's names (__builtin__, commands), which CPython maps back and runs.
        #expect(globals.isSuperset(of: ["os.system", "posix.system", "builtins.eval", "__builtin__.eval", "builtins.exec",
                                        "subprocess.Popen", "commands.Popen", "subprocess.check_output",
                                        "__builtin__.getattr", "torch.nn.modules.linear.Linear"]))
    }

    @Test(arguments: cases) func isRefusedNamingItsGlobal(file: String, global: String) {
        let url = Fixture.url("hostile_pickles/\(file)")
        let error = #expect(throws: PyTorchFileError.self) { try PyTorchFile(contentsOf: url) }
        #expect(error?.file == url.path)
        #expect(error?.problem == "refusing to load: the pickle refers to '\(global)', which is not part of a tensor state dict "
            + "(allowed: collections.OrderedDict, torch._utils._rebuild_parameter, torch._utils._rebuild_tensor_v2, torch.*Storage)",
            "\(file): \(String(describing: error))")
    }
}

@testable import MLFormats
import TestSupport
import Testing

/// Refuses every global, persistent id, call and state: only plain data can load.
private struct PlainDataOnly: PickleResolver {
    struct Refused: Error {}
    func global(module: String, name: String) throws -> PickleValue { throw Refused() }
    func persistentLoad(_ id: PickleValue) throws -> PickleValue { throw Refused() }
    func call(_ callable: PickleValue, _ arguments: [PickleValue]) throws -> PickleValue { throw Refused() }
    func build(_ object: PickleValue, state: PickleValue) throws { throw Refused() }
}

@Suite struct UnpicklerTests {
    private func load(_ bytes: [UInt8]) throws -> PickleValue {
        try load(bytes) { $0 }
    }

    private func load<Result>(_ bytes: [UInt8], _ body: (PickleValue) throws -> Result) throws -> Result {
        var unpickler = Unpickler(bytes: bytes, source: "data.pkl", resolver: PlainDataOnly())
        return try unpickler.load(body)
    }

    @Test func readsPlainData() throws {
        // pickle.dumps({"a": 1, "b": [1.5, -70000, (True, None)], "c": 2**40}, protocol=2), by hand:
        let bytes: [UInt8] = [0x80, 2, 0x7D, 0x71, 0, 0x28,
                              0x58, 1, 0, 0, 0, 0x61, 0x4B, 1,
                              0x58, 1, 0, 0, 0, 0x62, 0x5D, 0x71, 1, 0x28,
                              0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0,
                              0x4A, 0x90, 0xEE, 0xFE, 0xFF,
                              0x88, 0x4E, 0x86, 0x65,
                              0x58, 1, 0, 0, 0, 0x63, 0x8A, 6, 0, 0, 0, 0, 0, 1,
                              0x75, 0x2E]
        try load(bytes) { value in
            guard case .dict(let dict) = value else { Issue.record("not a dict"); return }
            #expect(dict.items.count == 3)
            guard case .string("a") = dict.items[0].key, case .int(1) = dict.items[0].value,
                  case .list(let list) = dict.items[1].value, case .int(1 << 40) = dict.items[2].value else {
                Issue.record("unexpected items \(dict.items)"); return
            }
            guard list.items.count == 3, case .float(1.5) = list.items[0], case .int(-70000) = list.items[1],
                  case .tuple(let pair) = list.items[2], case .bool(true) = pair[0], case .none = pair[1] else {
                Issue.record("unexpected list \(list.items)"); return
            }
        }
    }

    @Test func reportsTruncatedAndMalformedPickles() {
        let truncated = #expect(throws: PyTorchFileError.self) { try load([0x80, 2, 0x7D]) }
        #expect(truncated?.problem.contains("without a STOP opcode") == true)
        let shortString = #expect(throws: PyTorchFileError.self) { try load([0x80, 2, 0x58, 9, 0, 0, 0, 0x61]) }
        #expect(shortString?.problem.contains("at byte 2") == true)
        let unknown = #expect(throws: PyTorchFileError.self) { try load([0x80, 2, 0x69, 0x2E]) }
        #expect(unknown?.problem.contains("opcode 0x69 at byte 2: unsupported opcode") == true)
        let underflow = #expect(throws: PyTorchFileError.self) { try load([0x80, 2, 0x73, 0x2E]) }
        #expect(underflow?.problem.contains("stack underflow") == true)
        let memo = #expect(throws: PyTorchFileError.self) { try load([0x80, 2, 0x68, 5, 0x2E]) }
        #expect(memo?.problem.contains("memo entry 5 was never stored") == true)
    }

    @Test func leavesGlobalsToTheResolver() {
        #expect(throws: PlainDataOnly.Refused.self) { try load(Array("cos\nsystem\n(S'true'\ntR.".utf8)) }
    }
}

/// Pickles built to exhaust the stack or leak: deep nesting, cycles, marks (issue 16's probe, fuzzing).
@Suite struct UnpicklerLimitTests {
    private func unpickler(_ bytes: [UInt8]) -> Unpickler {
        Unpickler(bytes: [0x80, 2] + bytes + [0x2E], source: "data.pkl", resolver: PlainDataOnly())
    }

    @Test func tuplesNestedDeeperThanTheLimitAreRefused() {
        var deep = unpickler([0x29] + [UInt8](repeating: 0x85, count: 100_000))  // (), then TUPLE1 100,000 times
        let error = #expect(throws: PyTorchFileError.self) { try deep.load { _ in } }
        #expect(error?.problem == "pickle opcode 0x85 at byte \(2 + 1 + Unpickler.maximumDepth): tuples nested more than 64 levels deep")
        var limit = unpickler([0x29] + [UInt8](repeating: 0x85, count: Unpickler.maximumDepth))
        #expect(throws: Never.self) { try limit.load { _ in } }
    }

    @Test func deeplyNestedListsAreReleasedWithoutRecursion() throws {
        // [[[[…]]]] 200,000 deep: EMPTY_LIST; then per level EMPTY_LIST, BINPUT 0, APPEND, BINGET 0.
        let levels = 200_000
        let level: [UInt8] = [0x5D, 0x71, 0, 0x61, 0x68, 0]
        var kept = unpickler([0x5D, 0x71, 1] + Array([[UInt8]](repeating: level, count: levels).joined()) + [0x68, 1])
        let depth = try kept.load { value -> Int in
            var depth = 0, current = value
            while case .list(let list) = current, let first = list.items.first {
                depth += 1
                current = first
            }
            return depth
        }
        #expect(depth == levels)
    }

    @Test func aListContainingItselfIsEmptiedSoItIsFreed() throws {
        // l = []; l.append(l): EMPTY_LIST, BINPUT 0, BINGET 0, APPEND.
        var cyclic = unpickler([0x5D, 0x71, 0, 0x68, 0, 0x61])
        weak var escaped: PickleList?
        try cyclic.load { value in
            guard case .list(let list) = value, case .list(let inner) = list.items.first else {
                Issue.record("not a list containing a list: \(value)")
                return
            }
            #expect(inner === list)
            escaped = list
        }
        #expect(escaped == nil, "the self-referencing list leaked")
    }

    @Test func tupleOpcodesDoNotReachBelowAMark() {
        // 1, MARK, TUPLE1: the 1 lies below the mark; taking it used to leave the mark past the stack's end.
        var marked = unpickler([0x4B, 1, 0x28, 0x85, 0x74])
        let error = #expect(throws: PyTorchFileError.self) { try marked.load { _ in } }
        #expect(error?.problem == "pickle opcode 0x85 at byte 5: stack underflow")
    }
}

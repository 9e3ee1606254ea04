/// Turns what a pickle refers to into values: the only way a pickle can reach anything beyond plain data.
/// A resolver that throws for everything unknown makes loading safe: nothing is imported or executed.
protocol PickleResolver {
    /// The value for the global `module.name` (GLOBAL, STACK_GLOBAL); throws when it is not allowed.
    func global(module: String, name: String) throws -> PickleValue
    /// The object a persistent id refers to (BINPERSID).
    func persistentLoad(_ id: PickleValue) throws -> PickleValue
    /// The result of calling `callable` with `arguments` (REDUCE).
    func call(_ callable: PickleValue, _ arguments: [PickleValue]) throws -> PickleValue
    /// Applies `state` to `object` (BUILD).
    func build(_ object: PickleValue, state: PickleValue) throws
}

/// A pickle virtual machine for the opcodes of protocols 2–4 that describe data (no NEWOBJ, no INST/OBJ,
/// no extension registry). Throws `PyTorchFileError` for malformed pickles or unsupported opcodes.
///
/// A hostile pickle cannot exhaust the stack: the machine is iterative; tuples (immutable values) may
/// nest at most `maximumDepth` levels, checked as they are built; lists and dicts (which pickle memoizes
/// before filling, so they may even contain themselves) are kept in a pool and emptied one by one once
/// the caller is done with the result, which breaks every cycle and releases no value recursively.
struct Unpickler {
    /// How deeply tuples may nest (a state dict's deepest is 3: the rebuild arguments' size tuple).
    static let maximumDepth = 64

    let bytes: [UInt8]
    /// The file name used in errors.
    let source: String
    let resolver: any PickleResolver

    /// A value on the stack or in the memo with its tuple nesting depth.
    private struct Slot {
        var value: PickleValue
        var depth = 0
    }

    private var position = 0
    private var stack: [Slot] = []
    private var marks: [Int] = []
    private var memo: [Int: Slot] = [:]
    /// Every list and dict created, in creation order, emptied when loading ends.
    private var containers: [any PickleContainer] = []
    private var pooled: Set<ObjectIdentifier> = []

    init(bytes: [UInt8], source: String, resolver: any PickleResolver) {
        self.bytes = bytes
        self.source = source
        self.resolver = resolver
    }

    /// Runs the pickle to its STOP opcode and passes the value it leaves to `body`. The lists and dicts
    /// in that value are emptied when `body` returns (or anything throws): copy out what you need.
    mutating func load<Result>(_ body: (PickleValue) throws -> Result) throws -> Result {
        defer {
            for container in containers { container.removeAll() }
            containers.removeAll()
            pooled.removeAll()
            memo.removeAll()
            stack.removeAll()
        }
        return try body(try run())
    }

    /// Executes opcodes up to STOP.
    private mutating func run() throws -> PickleValue {
        while true {
            let offset = position
            let opcode = try readByte()
            do {
                if let result = try execute(opcode) { return result }
            } catch let error as PyTorchFileError {
                throw error
            } catch let problem as Problem {
                throw PyTorchFileError(file: source, problem: "pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset): \(problem.text)")
            }
        }
    }

    private struct Problem: Error { let text: String }

    private mutating func execute(_ opcode: UInt8) throws -> PickleValue? {
        switch opcode {
        case 0x80: _ = try readByte()                                        // PROTO
        case 0x95: _ = try read(8)                                           // FRAME
        case 0x2E: return try pop().value                                    // STOP
        case 0x28: marks.append(stack.count)                                 // MARK
        case 0x4E: push(.none)                                       // NONE
        case 0x88: push(.bool(true))                                 // NEWTRUE
        case 0x89: push(.bool(false))                                // NEWFALSE
        case 0x4B: push(.int(Int(try readByte())))                   // BININT1
        case 0x4D: push(.int(Int(try readInteger(2, signed: false)))) // BININT2
        case 0x4A: push(.int(Int(try readInteger(4, signed: true)))) // BININT
        case 0x8A:                                                           // LONG1
            let count = Int(try readByte())
            guard count <= 8 else { throw Problem(text: "integer of \(count) bytes is too large") }
            push(.int(count == 0 ? 0 : Int(try readInteger(count, signed: true))))
        case 0x47: push(.float(Double(bitPattern: try readBigEndian(8))))  // BINFLOAT
        case 0x58: push(.string(try readString(Int(try readInteger(4, signed: false)))))  // BINUNICODE
        case 0x8C: push(.string(try readString(Int(try readByte()))))                    // SHORT_BINUNICODE
        case 0x8D: push(.string(try readString(try readLength(8))))                      // BINUNICODE8
        case 0x55: push(.string(try readString(Int(try readByte()))))                    // SHORT_BINSTRING
        case 0x54: push(.string(try readString(try readLength(4))))                      // BINSTRING
        case 0x43: push(.bytes(try read(Int(try readByte()))))                           // SHORT_BINBYTES
        case 0x42: push(.bytes(try read(try readLength(4))))                             // BINBYTES
        case 0x29: push(.tuple([]))                                  // EMPTY_TUPLE
        case 0x74: try pushTuple(try popToMark())                            // TUPLE
        case 0x85, 0x86, 0x87:                                               // TUPLE1, TUPLE2, TUPLE3
            var items: [Slot] = []
            for _ in 0..<(opcode - 0x84) { items.insert(try pop(), at: 0) }
            try pushTuple(items)
        case 0x5D: push(.list(PickleList()))                         // EMPTY_LIST
        case 0x6C:                                                           // LIST
            let list = PickleList()
            list.items = try popToMark().map(\.value)
            push(.list(list))
        case 0x61:                                                           // APPEND
            let item = try pop().value
            try topList().items.append(item)
        case 0x65:                                                           // APPENDS
            let items = try popToMark().map(\.value)
            try topList().items += items
        case 0x7D: push(.dict(PickleDict()))                         // EMPTY_DICT
        case 0x64:                                                           // DICT
            let dict = PickleDict()
            dict.items = try pairs(try popToMark())
            push(.dict(dict))
        case 0x73:                                                           // SETITEM
            let value = try pop().value, key = try pop().value
            try topDict().items.append((key, value))
        case 0x75:                                                           // SETITEMS
            let items = try pairs(try popToMark())
            try topDict().items += items
        case 0x71: memo[Int(try readByte())] = try top()                     // BINPUT
        case 0x72: memo[try readLength(4)] = try top()                       // LONG_BINPUT
        case 0x94: memo[memo.count] = try top()                              // MEMOIZE
        case 0x68: stack.append(try recall(Int(try readByte())))             // BINGET
        case 0x6A: stack.append(try recall(try readLength(4)))               // LONG_BINGET
        case 0x63:                                                           // GLOBAL
            let module = try readLine(), name = try readLine()
            push(try resolver.global(module: module, name: name))
        case 0x93:                                                           // STACK_GLOBAL
            guard case .string(let name) = try pop().value, case .string(let module) = try pop().value else {
                throw Problem(text: "STACK_GLOBAL needs two strings")
            }
            push(try resolver.global(module: module, name: name))
        case 0x51:                                                           // BINPERSID
            let id = try pop()
            push(try resolver.persistentLoad(id.value), depth: id.depth)
        case 0x52:                                                           // REDUCE
            let arguments = try pop()
            guard case .tuple(let values) = arguments.value else { throw Problem(text: "REDUCE arguments are not a tuple") }
            push(try resolver.call(try pop().value, values), depth: arguments.depth)
        case 0x62:                                                           // BUILD
            let state = try pop().value
            try resolver.build(try top().value, state: state)
        default:
            throw Problem(text: "unsupported opcode (only the data opcodes torch.save emits are read)")
        }
        return nil
    }

    // MARK: Stack

    /// Pushes `value` (a new list or dict joins the pool).
    private mutating func push(_ value: PickleValue, depth: Int = 0) {
        switch value {
        case .list(let container as any PickleContainer), .dict(let container as any PickleContainer):
            if pooled.insert(ObjectIdentifier(container)).inserted { containers.append(container) }
        default: break
        }
        stack.append(Slot(value: value, depth: depth))
    }

    /// Pushes a tuple of `items`, refusing one nested deeper than `maximumDepth`.
    private mutating func pushTuple(_ items: [Slot]) throws {
        let depth = 1 + (items.map(\.depth).max() ?? 0)
        guard depth <= Self.maximumDepth else { throw Problem(text: "tuples nested more than \(Self.maximumDepth) levels deep") }
        stack.append(Slot(value: .tuple(items.map(\.value)), depth: depth))
    }

    private mutating func pop() throws -> Slot {
        guard stack.count > marks.last ?? 0, let slot = stack.popLast() else {
            throw Problem(text: "stack underflow")
        }
        return slot
    }

    private func top() throws -> Slot {
        guard stack.count > marks.last ?? 0, let slot = stack.last else { throw Problem(text: "stack underflow") }
        return slot
    }

    private mutating func popToMark() throws -> [Slot] {
        guard let mark = marks.popLast() else { throw Problem(text: "no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func topList() throws -> PickleList {
        let top = try top().value
        guard case .list(let list) = top else { throw Problem(text: "appending to a \(top.typeName), not a list") }
        return list
    }

    private func topDict() throws -> PickleDict {
        let top = try top().value
        guard case .dict(let dict) = top else { throw Problem(text: "setting an item of a \(top.typeName), not a dict") }
        return dict
    }

    private func pairs(_ items: [Slot]) throws -> [(key: PickleValue, value: PickleValue)] {
        guard items.count % 2 == 0 else { throw Problem(text: "odd number of items for a dict") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0].value, items[$0 + 1].value) }
    }

    private func recall(_ index: Int) throws -> Slot {
        guard let slot = memo[index] else { throw Problem(text: "memo entry \(index) was never stored") }
        return slot
    }

    // MARK: Reading

    private mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else {
            throw PyTorchFileError(file: source, problem: "pickle ends at byte \(position) without a STOP opcode (truncated)")
        }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func read(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else {
            throw Problem(text: "needs \(count) bytes, only \(bytes.count - position) remain (truncated)")
        }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// `count` little-endian bytes as an integer, sign-extended when `signed`.
    private mutating func readInteger(_ count: Int, signed: Bool) throws -> Int64 {
        let raw = try read(count)
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        if signed && count < 8 && raw.last.map({ $0 & 0x80 != 0 }) == true { value |= ~0 << (8 * UInt64(count)) }
        return Int64(bitPattern: value)
    }

    /// An unsigned little-endian length of `count` bytes that fits in the remaining input.
    private mutating func readLength(_ count: Int) throws -> Int {
        let value = UInt64(bitPattern: try readInteger(count, signed: false))
        guard value <= UInt64(bytes.count) else { throw Problem(text: "length \(value) exceeds the pickle's size") }
        return Int(value)
    }

    /// `count` big-endian bytes as an unsigned integer.
    private mutating func readBigEndian(_ count: Int) throws -> UInt64 {
        var value: UInt64 = 0
        for byte in try read(count) { value = value << 8 | UInt64(byte) }
        return value
    }

    private mutating func readString(_ count: Int) throws -> String {
        let raw = try read(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw Problem(text: "string is not valid UTF-8") }
        return text
    }

    private mutating func readLine() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw Problem(text: "unterminated GLOBAL name") }
        let line = try readString(end - position)
        position += 1
        return line
    }
}

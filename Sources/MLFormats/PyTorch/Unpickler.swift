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
struct Unpickler {
    let bytes: [UInt8]
    /// The file name used in errors.
    let source: String
    let resolver: any PickleResolver

    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    init(bytes: [UInt8], source: String, resolver: any PickleResolver) {
        self.bytes = bytes
        self.source = source
        self.resolver = resolver
    }

    /// Runs the pickle to its STOP opcode and returns the value it leaves.
    mutating func load() throws -> PickleValue {
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
        case 0x2E: return try pop()                                          // STOP
        case 0x28: marks.append(stack.count)                                 // MARK
        case 0x4E: stack.append(.none)                                       // NONE
        case 0x88: stack.append(.bool(true))                                 // NEWTRUE
        case 0x89: stack.append(.bool(false))                                // NEWFALSE
        case 0x4B: stack.append(.int(Int(try readByte())))                   // BININT1
        case 0x4D: stack.append(.int(Int(try readInteger(2, signed: false)))) // BININT2
        case 0x4A: stack.append(.int(Int(try readInteger(4, signed: true)))) // BININT
        case 0x8A:                                                           // LONG1
            let count = Int(try readByte())
            guard count <= 8 else { throw Problem(text: "integer of \(count) bytes is too large") }
            stack.append(.int(count == 0 ? 0 : Int(try readInteger(count, signed: true))))
        case 0x47: stack.append(.float(Double(bitPattern: try readBigEndian(8))))  // BINFLOAT
        case 0x58: stack.append(.string(try readString(Int(try readInteger(4, signed: false)))))  // BINUNICODE
        case 0x8C: stack.append(.string(try readString(Int(try readByte()))))                    // SHORT_BINUNICODE
        case 0x8D: stack.append(.string(try readString(try readLength(8))))                      // BINUNICODE8
        case 0x55: stack.append(.string(try readString(Int(try readByte()))))                    // SHORT_BINSTRING
        case 0x54: stack.append(.string(try readString(try readLength(4))))                      // BINSTRING
        case 0x43: stack.append(.bytes(try read(Int(try readByte()))))                           // SHORT_BINBYTES
        case 0x42: stack.append(.bytes(try read(try readLength(4))))                             // BINBYTES
        case 0x29: stack.append(.tuple([]))                                  // EMPTY_TUPLE
        case 0x74: stack.append(.tuple(try popToMark()))                     // TUPLE
        case 0x85, 0x86, 0x87:                                               // TUPLE1, TUPLE2, TUPLE3
            let count = Int(opcode - 0x84)
            guard stack.count >= count else { throw Problem(text: "stack underflow") }
            stack.append(.tuple(Array(stack.suffix(count))))
            stack.removeSubrange((stack.count - 1 - count)..<(stack.count - 1))
        case 0x5D: stack.append(.list(PickleList()))                         // EMPTY_LIST
        case 0x6C:                                                           // LIST
            let list = PickleList()
            list.items = try popToMark()
            stack.append(.list(list))
        case 0x61:                                                           // APPEND
            let item = try pop()
            try topList().items.append(item)
        case 0x65:                                                           // APPENDS
            let items = try popToMark()
            try topList().items += items
        case 0x7D: stack.append(.dict(PickleDict()))                         // EMPTY_DICT
        case 0x64:                                                           // DICT
            let dict = PickleDict()
            dict.items = try pairs(try popToMark())
            stack.append(.dict(dict))
        case 0x73:                                                           // SETITEM
            let value = try pop(), key = try pop()
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
            stack.append(try resolver.global(module: module, name: name))
        case 0x93:                                                           // STACK_GLOBAL
            guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                throw Problem(text: "STACK_GLOBAL needs two strings")
            }
            stack.append(try resolver.global(module: module, name: name))
        case 0x51: stack.append(try resolver.persistentLoad(try pop()))      // BINPERSID
        case 0x52:                                                           // REDUCE
            guard case .tuple(let arguments) = try pop() else { throw Problem(text: "REDUCE arguments are not a tuple") }
            stack.append(try resolver.call(try pop(), arguments))
        case 0x62:                                                           // BUILD
            let state = try pop()
            try resolver.build(try top(), state: state)
        default:
            throw Problem(text: "unsupported opcode (only the data opcodes torch.save emits are read)")
        }
        return nil
    }

    // MARK: Stack

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), marks.last.map({ $0 <= stack.count }) ?? true else {
            throw Problem(text: "stack underflow")
        }
        return value
    }

    private func top() throws -> PickleValue {
        guard let value = stack.last else { throw Problem(text: "stack underflow") }
        return value
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw Problem(text: "no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func topList() throws -> PickleList {
        guard case .list(let list) = try top() else { throw Problem(text: "appending to a \(try top().typeName), not a list") }
        return list
    }

    private func topDict() throws -> PickleDict {
        guard case .dict(let dict) = try top() else { throw Problem(text: "setting an item of a \(try top().typeName), not a dict") }
        return dict
    }

    private func pairs(_ items: [PickleValue]) throws -> [(key: PickleValue, value: PickleValue)] {
        guard items.count % 2 == 0 else { throw Problem(text: "odd number of items for a dict") }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    private func recall(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw Problem(text: "memo entry \(index) was never stored") }
        return value
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

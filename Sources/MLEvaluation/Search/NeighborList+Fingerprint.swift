extension NeighborList {
    /// A 16-hex-digit FNV-1a hash of every neighbour's index and value bits, in order: two builds or search
    /// methods found identical neighbours, in the same order and with the same values, when their fingerprints
    /// are equal (and, but for a 2⁻⁶⁴ chance, only then).
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt32) {
            for shift in stride(from: UInt32(0), to: 32, by: 8) {
                hash = (hash ^ UInt64((word >> shift) & 0xFF)) &* 0x100_0000_01b3
            }
        }
        for (index, value) in zip(indices, values) {
            mix(UInt32(bitPattern: index))
            mix(value.bitPattern)
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

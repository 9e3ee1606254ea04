import CZlib

extension SafeTensorsFile {
    /// The CRC-32 (zlib's polynomial) of the data buffer — every tensor's bytes in file order — as eight
    /// lowercase hexadecimal digits. Checkpoints record it in their metadata so a changed byte is noticed
    /// on load; with the preprocessing it also identifies a model (an integrity check against accidents,
    /// not a cryptographic hash).
    public func dataCRC32() -> String {
        var crc: UInt = 0
        storage.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
            guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            crc = crc32_z(0, base, data.count)
        }
        let hex = String(crc, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}

import Foundation

/// Little-endian reads from a byte buffer at offsets the caller has bounds-checked.
struct ByteReader {
    let data: Data
    init(_ data: Data) { self.data = data }
    var count: Int { data.count }
    func u16(_ offset: Int) -> UInt16 { data.withUnsafeBytes { $0.loadLE(UInt16.self, byteOffset: offset) } }
    func u32(_ offset: Int) -> UInt32 { data.withUnsafeBytes { $0.loadLE(UInt32.self, byteOffset: offset) } }
    func u64(_ offset: Int) -> UInt64 { data.withUnsafeBytes { $0.loadLE(UInt64.self, byteOffset: offset) } }
    func slice(_ offset: Int, _ length: Int) -> Data { data[offset..<(offset + length)] }
}

import CZlib

/// Little-endian MAT v5 bytes built by hand, for files no MATLAB writes.
package enum MATBytes {
    /// A file: the 128-byte header, then `elements`.
    package static func file(_ elements: [UInt8]...) -> [UInt8] {
        let text = Array("MATLAB 5.0 MAT-file, hand-made".utf8)
        return text + [UInt8](repeating: 0x20, count: 116 - text.count) + [UInt8](repeating: 0, count: 8)
            + [0, 1] + Array("IM".utf8) + elements.joined()
    }

    /// A data element of `type`: tag, `data`, padding to 8 bytes.
    package static func element(_ type: UInt32, _ data: [UInt8]) -> [UInt8] {
        le(type) + le(UInt32(data.count)) + data + [UInt8](repeating: 0, count: (8 - data.count % 8) % 8)
    }

    /// A miMATRIX of array class `arrayClass` with `dimensions`, `name` and the class's data `contents`.
    package static func matrix(_ arrayClass: UInt8, _ dimensions: [Int32], name: String = "", _ contents: [UInt8]...) -> [UInt8] {
        element(14, element(6, [arrayClass, 0, 0, 0, 0, 0, 0, 0]) + element(5, dimensions.flatMap { le(UInt32(bitPattern: $0)) })
            + element(1, Array(name.utf8)) + contents.joined())
    }

    /// A miCOMPRESSED element holding `bytes` (zlib).
    package static func compressed(_ bytes: [UInt8]) -> [UInt8] {
        let stream = zlibCompressed(bytes)
        return le(15) + le(UInt32(stream.count)) + stream
    }

    package static func le(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}

/// `bytes` compressed by zlib (a zlib stream, as MAT files hold).
package func zlibCompressed(_ bytes: [UInt8]) -> [UInt8] {
    var size = compressBound(UInt(bytes.count))
    var output = [UInt8](repeating: 0, count: Int(size))
    let status = compress2(&output, &size, bytes, UInt(bytes.count), 9)
    precondition(status == Z_OK, "zlib compress2 failed with \(status)")
    return Array(output.prefix(Int(size)))
}

import CZlib

/// zlib, gzip and raw deflate decompression (zlib's `inflate`).
enum Inflate {
    /// Decompresses a zlib or gzip stream (detected from its header; concatenated gzip members are joined),
    /// or with `raw` a headerless deflate stream (a zip entry).
    ///
    /// - Parameters:
    ///   - input: the compressed bytes.
    ///   - sizeHint: the expected decompressed size, when known, to size the output buffer once.
    ///   - raw: whether the stream is raw deflate, without zlib or gzip header.
    ///   - path: the file the bytes came from, for error messages.
    /// - Throws: `DataFileError` when the stream is corrupt or ends early (a truncated file).
    static func decompress(_ input: [UInt8], sizeHint: Int = 0, raw: Bool = false, path: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(sizeHint, 2 * input.count, 64))
        var produced = 0
        var consumed = 0
        var stream = z_stream()
        // windowBits 15 + 32: accept both zlib and gzip headers; -15: no header.
        guard inflateInit2_(&stream, raw ? -15 : 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataFileError(path: path, "zlib could not initialise a decompressor")
        }
        defer { inflateEnd(&stream) }
        try input.withUnsafeBufferPointer { source in
            while true {
                if produced == output.count { output += [UInt8](repeating: 0, count: output.count) }
                let status = output.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress.map { $0 + consumed })
                    stream.avail_in = UInt32(source.count - consumed)
                    stream.next_out = target.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(target.count - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    consumed = source.count - Int(stream.avail_in)
                    produced = target.count - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another gzip member follows (gzip allows concatenation); a zlib stream ends here.
                    guard !raw, consumed < source.count, source[consumed] == 0x1F else { return }
                    inflateReset(&stream)
                case Z_BUF_ERROR where consumed == source.count:
                    throw DataFileError(path: path, "compressed data ends early (truncated file?) after \(produced) decompressed bytes")
                case Z_BUF_ERROR:
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw DataFileError(path: path, "corrupt compressed data: \(message)")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Whether `bytes` start with the gzip magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }
}

import CZlib

/// A zlib, gzip or raw deflate stream (zlib's `inflate`) read in pieces of declared size.
///
/// The container formats declare how much their compressed data expands to — a zip directory entry, the
/// IDX header at the start of a gzip'd file, the tag of a MAT file's compressed element — and a hostile
/// file can declare anything. So a stream never allocates from a declaration: `read(_:)` refuses a size
/// that deflate cannot reach from the compressed bytes left (deflate expands at most 1032:1) and grows
/// its output as data actually arrives; `finish()` refuses a stream that expands beyond what was read.
/// Memory therefore follows what the data really holds, and a forged size fails before it costs anything.
final class InflateStream {
    /// The stream's framing.
    enum Format {
        /// A zlib or gzip stream, detected from its header; concatenated gzip members are joined.
        case zlibOrGzip
        /// Headerless deflate (a zip entry).
        case raw
    }

    /// deflate's largest expansion: one bit per 258-byte match, plus block overhead (zlib's FAQ).
    static let maximumRatio = 1032

    private let stream: UnsafeMutablePointer<z_stream>
    private let input: [UInt8]
    private let format: Format
    private let path: String
    /// Input bytes consumed and output bytes produced so far.
    private var consumed = 0
    private(set) var produced = 0
    /// Whether zlib reported the end of the (last) stream.
    private var ended = false

    /// A decompressor of `input`; `path` names the file in errors.
    init(_ input: [UInt8], format: Format, path: String) throws {
        self.input = input
        self.format = format
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 32: accept both zlib and gzip headers; -15: no header.
        let windowBits: Int32 = format == .raw ? -15 : 15 + 32
        guard inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw DataFileError(path: path, "zlib could not initialise a decompressor")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// The next `count` decompressed bytes.
    ///
    /// - Throws: `DataFileError` when `count` is more than the remaining compressed bytes can expand to
    ///   (before allocating anything), when the stream ends or the input runs out first (a truncated file),
    ///   or when the data is corrupt.
    func read(_ count: Int) throws -> [UInt8] {
        let remaining = input.count - consumed
        // Slack for a match zlib holds pending when its last output buffer filled.
        let (bound, overflow) = remaining.multipliedReportingOverflow(by: Self.maximumRatio)
        guard count >= 0, overflow || count <= bound + 4096 else {
            throw DataFileError(path: path, "compressed data declares \(count) more bytes after \(produced), more than "
                + "its remaining \(remaining) bytes can expand to")
        }
        let base = produced
        var output: [UInt8] = []
        // Grow geometrically with what arrives, never straight to the declared size.
        while output.count < count {
            let start = output.count
            let piece = min(count - start, max(start, 1 << 16))
            output.append(contentsOf: repeatElement(0, count: piece))
            let got = try output.withUnsafeMutableBufferPointer { buffer in
                try fill(UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
            guard got == piece else {
                throw DataFileError(path: path, "compressed data ends after \(produced) decompressed bytes, "
                    + "\(base + count) declared (truncated file?)")
            }
        }
        return output
    }

    /// Requires the compressed data to end here: refuses a stream that would expand beyond the bytes
    /// read so far, or whose trailer (gzip's length and CRC-32, zlib's Adler-32) does not match.
    func finish() throws {
        let declared = produced
        var extra: UInt8 = 0
        let got = try withUnsafeMutablePointer(to: &extra) { try fill(UnsafeMutableBufferPointer(start: $0, count: 1)) }
        guard got == 0 else {
            throw DataFileError(path: path, "compressed data expands beyond the \(declared) bytes declared")
        }
    }

    /// Inflates into `target` until it is full or the stream ends; returns the bytes written.
    private func fill(_ target: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        var written = 0
        while written < target.count && !ended {
            let status = input.withUnsafeBufferPointer { source -> Int32 in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress.map { $0 + consumed })
                stream.pointee.avail_in = UInt32(clamping: source.count - consumed)
                stream.pointee.next_out = target.baseAddress.map { $0 + written }
                stream.pointee.avail_out = UInt32(clamping: target.count - written)
                let (inputBefore, outputBefore) = (stream.pointee.avail_in, stream.pointee.avail_out)
                let status = inflate(stream, Z_NO_FLUSH)
                consumed += Int(inputBefore - stream.pointee.avail_in)
                written += Int(outputBefore - stream.pointee.avail_out)
                return status
            }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // Another gzip member may follow (gzip allows concatenation); other trailing bytes are ignored.
                if format == .zlibOrGzip, consumed + 1 < input.count, input[consumed] == 0x1F, input[consumed + 1] == 0x8B {
                    inflateReset(stream)
                } else {
                    ended = true
                }
            case Z_BUF_ERROR:
                // No progress with room to write: the input ran out before the stream's end.
                throw DataFileError(path: path, "compressed data ends early (truncated file?) after "
                    + "\(produced + written) decompressed bytes")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw DataFileError(path: path, "corrupt compressed data: \(message)")
            }
        }
        produced += written
        return written
    }

    /// Whether `bytes` start with the gzip magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }
}

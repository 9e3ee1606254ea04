import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection, for load generation
/// (`dml bench serve`), tests over a real socket and the WebDriver protocol. Not for the open internet:
/// it speaks to loopback servers the project runs.
package final class HTTPConnection {
    /// A response: status, headers (names lowercased) and body.
    package struct Response: Sendable {
        package let status: Int
        package let headers: [String: String]
        package let body: [UInt8]

        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A failure to connect, send or read.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    private let descriptor: Int32
    private let host: String
    private let port: Int
    private var buffer: [UInt8] = []

    /// Connects to `host` (an IPv4 address) at `port`; reads time out after `timeout` seconds.
    package init(host: String = "127.0.0.1", port: Int, timeout: Double = 60) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        self.host = host
        self.port = port
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw Failure(description: "'\(host)' is not an IPv4 address")
        }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "connect to \(host):\(port): \(reason)")
        }
    }

    deinit { close(descriptor) }

    /// Sends one request and reads its response (Content-Length or chunked body).
    package func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try write(Array((head + "\r\n").utf8) + body)
        let headerBytes = try read(until: [13, 10, 13, 10])
        let lines = String(decoding: headerBytes, as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
              let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw Failure(description: "malformed response from \(host):\(port)")
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var content: [UInt8] = []
        if fields["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let sizeLine = String(decoding: try read(until: [13, 10]), as: UTF8.self)
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw Failure(description: "malformed chunk size '\(sizeLine)'")
                }
                if size == 0 { _ = try read(until: [13, 10]); break }
                content += try read(count: size)
                _ = try read(count: 2)
            }
        } else if let length = fields["content-length"].flatMap(Int.init) {
            content = try read(count: length)
        }
        return Response(status: status, headers: fields, body: content)
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; throws at end of stream or timeout.
    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let got = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if got < 0 && errno == EINTR { return }
        guard got > 0 else {
            throw Failure(description: got == 0 ? "the server closed the connection" : "recv: \(String(cString: strerror(errno)))")
        }
        buffer += chunk[0..<got]
    }

    /// The bytes up to `delimiter` (consumed, not returned).
    private func read(until delimiter: [UInt8]) throws -> [UInt8] {
        var searched = 0
        while true {
            if buffer.count >= delimiter.count {
                for start in max(0, searched - delimiter.count)...(buffer.count - delimiter.count)
                where buffer[start..<(start + delimiter.count)].elementsEqual(delimiter) {
                    let line = Array(buffer[0..<start])
                    buffer.removeFirst(start + delimiter.count)
                    return line
                }
                searched = buffer.count
            }
            try fill()
        }
    }

    private func read(count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }
}

import Foundation
import MLServe
import TestSupport

/// A W3C WebDriver client for Debian's chromedriver driving headless chromium: enough to load a page,
/// upload a file, click, run a script and take a screenshot.
final class WebDriver {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private let driver: ChildProcessTree
    private let profile: TemporaryDirectory
    private let port: Int
    private let session: String

    /// Starts chromedriver on a free port and opens a headless chromium session of `width` × `height`.
    /// Throws (the test fails) when chromedriver or chromium is missing or does not start in time.
    init(width: Int = 1280, height: Int = 900) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            throw Failure(description: "/usr/bin/chromium is missing: run tools/install-deps.sh (it installs chromium and chromium-driver)")
        }
        profile = try TemporaryDirectory()
        port = try Self.freePort()
        driver = try ChildProcessTree("/usr/bin/chromedriver", ["--port=\(port)"])
        let deadline = Date().addingTimeInterval(30)
        while (try? HTTPConnection(port: port, timeout: 5).send("GET", "/status")) == nil {
            guard Date() < deadline, driver.process.isRunning else { throw Failure(description: "chromedriver did not start") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": "/usr/bin/chromium",
                                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                            "--user-data-dir=\(profile.url.path)",
                                            "--window-size=\(width),\(height)", "--hide-scrollbars"]],
        ]]]
        let created = try Self.call(port: port, "POST", "/session", capabilities, timeout: 60)
        guard let value = created as? [String: Any], let id = value["sessionId"] as? String else {
            throw Failure(description: "no session: \(String(describing: created))")
        }
        session = id
    }

    /// Asks chromedriver to close chromium (a few seconds at most), then kills chromedriver, chromium and
    /// whatever they started, waiting until all are gone.
    deinit {
        _ = try? Self.call(port: port, "DELETE", "/session/\(session)", nil, timeout: 5)
        driver.stop()
    }

    func open(_ url: String) throws { _ = try call("POST", "url", ["url": url]) }

    /// The element matching `selector` (a WebDriver element reference).
    func element(_ selector: String) throws -> String {
        let value = try call("POST", "element", ["using": "css selector", "value": selector])
        guard let reference = (value as? [String: Any])?.values.first as? String else {
            throw Failure(description: "no element '\(selector)'")
        }
        return reference
    }

    /// Types `text` into an element (for a file input: the file's path, which uploads it).
    func type(_ text: String, into selector: String) throws {
        _ = try call("POST", "element/\(try element(selector))/value", ["text": text])
    }

    func click(_ selector: String) throws { _ = try call("POST", "element/\(try element(selector))/click", [:]) }

    /// Runs `script` (a function body) in the page and returns its result.
    func execute(_ script: String) throws -> Any? { try call("POST", "execute/sync", ["script": script, "args": []]) }

    /// Evaluates `condition` (a script returning a boolean) until true, for at most `timeout` seconds.
    func wait(until condition: String, timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try execute(condition) as? Bool != true {
            guard Date() < deadline else { throw Failure(description: "timed out waiting for: \(condition)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// A PNG screenshot of the window.
    func screenshot() throws -> Data {
        guard let text = try call("GET", "screenshot", nil) as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }

    private func call(_ method: String, _ command: String, _ body: [String: Any]?) throws -> Any? {
        try Self.call(port: port, method, "/session/\(session)/\(command)", body)
    }

    private static func call(port: Int, _ method: String, _ path: String, _ body: [String: Any]?,
                             timeout: TimeInterval = 30) throws -> Any? {
        let bytes = try body.map { [UInt8](try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let response = try HTTPConnection(port: port, timeout: timeout).send(
            method, path, headers: [("Content-Type", "application/json; charset=utf-8")], body: bytes)
        let object = try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]) as? [String: Any]
        guard response.status == 200 else { throw Failure(description: "\(method) \(path): \(response.status) \(response.text.prefix(500))") }
        return object?["value"] as Any?
    }

    /// A port nothing listens on now (bound to 0, read, released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

import Foundation

/// A fixture that is missing, unreadable or lacks what a test needs: the test fails (never skips).
package struct FixtureError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Locates files under `Tests/Fixtures` (written by the scripts in `tools/reference/`).
package enum Fixture {
    package static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    package static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The JSON fixture `name`'s `meta` object and its `section` object (entries by name), as the scripts'
    /// `{"meta": {...}, section: {name: {...}}}` files hold them.
    package static func sections(_ name: String, entries section: String) throws -> (meta: [String: Any], entries: [String: [String: Any]]) {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url(name))) as! [String: Any]
        return (root["meta"] as? [String: Any] ?? [:], root[section] as! [String: [String: Any]])
    }
}

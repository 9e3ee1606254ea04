import Foundation
import MLEngine

/// A reference fixture written by `tools/reference/fixture_io.py`: named float64 tensors plus metadata.
package struct FixtureFile {
    package struct Entry {
        package let shape: [Int]
        package let values: [Double]
        package var floats: [Float] { values.map(Float.init) }
        package var tensor: Tensor { Tensor(shape: shape, values: floats) }
    }

    /// The file name under `Tests/Fixtures`.
    package let name: String
    package let meta: [String: Any]
    package let tensors: [String: Entry]

    package init(_ name: String) throws {
        self.name = name
        let (meta, entries) = try Fixture.sections(name, entries: "tensors")
        self.meta = meta
        tensors = entries.mapValues { value in
            let bytes = Data(base64Encoded: value["f64"] as! String)!
            let values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            }
            return Entry(shape: value["shape"] as! [Int], values: values)
        }
    }

    /// The metadata entry `key` as a `T`; throws naming the fixture when it is missing or of another type.
    package func meta<T>(_ key: String, as type: T.Type = T.self) throws -> T {
        guard let value = meta[key] as? T else {
            throw FixtureError("\(name) has no \(T.self) metadata entry '\(key)' (it has \(meta.keys.sorted()))")
        }
        return value
    }

    package subscript(name: String) -> Entry {
        guard let entry = tensors[name] else { fatalError("fixture has no tensor \(name); has \(tensors.keys.sorted())") }
        return entry
    }
}

/// ‖a − b‖ / ‖b‖ in float64, the norm-relative error of DESIGN §2.
package func relativeError(_ a: [Float], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "comparing \(a.count) values with \(b.count)")
    var diff = 0.0, norm = 0.0
    for i in 0..<a.count {
        let d = Double(a[i]) - b[i]
        diff += d * d
        norm += b[i] * b[i]
    }
    return norm == 0 ? diff.squareRoot() : (diff / norm).squareRoot()
}

/// Describes the worst element of a mismatch: where it is and both values (llm.c-style failure messages).
package func worstMismatch(_ a: [Float], _ b: [Double]) -> String {
    var worst = 0, worstDiff = -1.0
    for i in 0..<a.count where abs(Double(a[i]) - b[i]) > worstDiff {
        worst = i
        worstDiff = abs(Double(a[i]) - b[i])
    }
    return a.isEmpty ? "empty" : "worst at index \(worst): got \(a[worst]), reference \(b[worst])"
}

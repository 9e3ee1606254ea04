import Foundation
import MLEngine
import MLFormats

/// The run folder `Tests/Fixtures/run_round1`, written by the round-1 `dml` (see
/// `tools/fixtures/make_run_fixture.py`), made usable in a temporary folder: its files copied, its
/// checkpoints rebuilt from their saved headers with seeded tensor values (`ResNetParity.values`; the
/// optimizer's momentum buffers 0.01u), and the tiny dataset it was trained on written beside it.
package struct RoundOneRun {
    /// The run folder.
    package let run: URL
    /// The dataset folder (`TinyFashionMNIST` with 20 training and 5 test images per class).
    package let data: URL
    private let directory: TemporaryDirectory

    package init() throws {
        directory = try TemporaryDirectory()
        run = directory.url.appendingPathComponent("run")
        data = directory.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try TinyFashionMNIST.write(in: directory, subfolder: "data", trainPerClass: 20, testPerClass: 5)
        let fixture = Fixture.url("run_round1")
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.path).sorted() {
            let source = fixture.appendingPathComponent(name)
            if name.hasSuffix(".header.json") {
                let checkpoint = String(name.dropLast(".header.json".count)) + ".safetensors"
                try Self.rebuild(header: source).write(to: run.appendingPathComponent(checkpoint))
            } else {
                try FileManager.default.copyItem(at: source, to: run.appendingPathComponent(name))
            }
        }
    }

    /// A safetensors file with the header's metadata and tensors (names, dtypes, shapes), F32 values drawn
    /// in data-offset order from one seeded stream.
    private static func rebuild(header url: URL) throws -> SafeTensorsFile {
        let header = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        var file = SafeTensorsFile(metadata: header["__metadata__"] as? [String: String] ?? [:])
        let entries = header.compactMap { name, value -> (name: String, shape: [Int], begin: Int)? in
            guard let fields = value as? [String: Any], fields["dtype"] as? String == "F32",
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int] else { return nil }
            return (name, shape, offsets[0])
        }
        guard entries.count == header.count - 1 else {
            throw DataFileError(path: url.path, "expected only F32 tensors and __metadata__")
        }
        var generator = SeededGenerator(seed: 2020)
        for entry in entries.sorted(by: { $0.begin < $1.begin }) {
            let values = entry.name.hasPrefix("optimizer.")
                ? generator.uniform(count: entry.shape.reduce(1, *), scale: 0.01)
                : ResNetParity.values(named: entry.name, shape: entry.shape, from: &generator)
            file.add(floats: values, shape: entry.shape, named: entry.name)
        }
        return file
    }
}

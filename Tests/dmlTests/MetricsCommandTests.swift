import Foundation
import MLEvaluation
import MLFormats
import TestSupport
import Testing

/// `dml metrics` on `.npy` files whose metrics are worked out by hand below.
@Suite struct MetricsCommandTests {
    /// Five unit vectors in the plane at 0°, 10°, 42°, 80° and 90°, labels 0, 0, 1, 1, 1. Cosine and L2 rank
    /// alike (by angle). Leave-one-out, each query's neighbours, nearest first (✓ same label):
    ///   0°: 10° ✓ (R = 1)           → R@1 1, R-precision 1, AP@R 1
    ///   10°: 0° ✓ (R = 1)           → 1, 1, 1
    ///   42°: 10° ✗, 80° ✓ (R = 2)   → R@1 0, R@2 1, R-precision 1/2, AP@R (0 + 1/2) / 2 = 1/4
    ///   80°: 90° ✓, 42° ✓ (R = 2)   → 1, 1, 1
    ///   90°: 80° ✓, 42° ✓ (R = 2)   → 1, 1, 1
    /// So R@1 = P@1 = 4/5, R@2 = R@4 = 1, R-precision 4.5/5 = 0.9, MAP@R 4.25/5 = 0.85.
    static let degrees: [Double] = [0, 10, 42, 80, 90]
    static let labels = [0, 0, 1, 1, 1]

    /// The embeddings and labels as `.npy` files in `directory` (labels as int64).
    static func write(in directory: TemporaryDirectory) throws -> (embeddings: URL, labels: URL) {
        let values = degrees.flatMap { [Float(cos($0 * .pi / 180)), Float(sin($0 * .pi / 180))] }
        let embeddings = try directory.write("embeddings.npy", bytes: [UInt8](NumPyArray.encoded(values, shape: [5, 2])))
        let labelsFile = try directory.write("labels.npy", bytes: try int64File(labels))
        return (embeddings, labelsFile)
    }

    /// A 1-D little-endian int64 `.npy` file: the float32 file of that shape with its dtype and values replaced
    /// (the header's length does not depend on either).
    static func int64File(_ values: [Int]) throws -> [UInt8] {
        var bytes = [UInt8](NumPyArray.encoded([Float](repeating: 0, count: values.count), shape: [values.count]))
        bytes.removeLast(4 * values.count)
        let dtype = try #require(bytes.firstRange(of: Array("'<f4'".utf8)))
        bytes.replaceSubrange(dtype, with: Array("'<i8'".utf8))
        return bytes + values.flatMap { value in withUnsafeBytes(of: Int64(value).littleEndian, Array.init) }
    }

    @Test(arguments: ["cosine", "l2"])
    func metricsOfAHandWorkedCase(distance: String) throws {
        let directory = try TemporaryDirectory()
        let (embeddings, labels) = try Self.write(in: directory)
        let (status, output) = try DMLProcess.run(["metrics", "--embeddings", embeddings.path, "--labels", labels.path,
                                                   "--distance", distance, "--k", "1,2,4", "--no-clustering", "--json"])
        #expect(status == 0, "\(output)")
        let metrics = try JSONDecoder().decode(RetrievalMetrics.self, from: Data(output.utf8))
        #expect(metrics.recallAtK.keys.sorted() == [1, 2, 4], "\(output)")
        for (name, value, expected) in [("R@1", metrics.recallAtK[1], 0.8), ("R@2", metrics.recallAtK[2], 1),
                                        ("R@4", metrics.recallAtK[4], 1), ("P@1", metrics.precisionAt1, 0.8),
                                        ("R-precision", metrics.rPrecision, 0.9), ("MAP@R", metrics.meanAveragePrecisionAtR, 0.85)] {
            #expect(abs((value ?? .nan) - expected) <= 1e-12, "\(name): \(String(describing: value)), expected \(expected)")
        }
        #expect(metrics.nmi == nil && metrics.ami == nil)
    }

    @Test func labelsOfAnotherCountAndAMissingFileAreNamed() throws {
        let directory = try TemporaryDirectory()
        let (embeddings, _) = try Self.write(in: directory)
        let short = try directory.write("short.npy", bytes: try Self.int64File([0, 0, 1]))
        let mismatch = try DMLProcess.run(["metrics", "--embeddings", embeddings.path, "--labels", short.path])
        #expect(mismatch.status != 0 && mismatch.output.contains(embeddings.path), "\(mismatch.output)")
        #expect(mismatch.output.contains("3 labels for 5 embeddings"), "\(mismatch.output)")
        let missing = directory.url.appendingPathComponent("absent.npy")
        let absent = try DMLProcess.run(["metrics", "--embeddings", embeddings.path, "--labels", missing.path])
        #expect(absent.status != 0 && absent.output.contains(missing.path), "\(absent.output)")
    }
}

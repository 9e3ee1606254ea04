import Foundation
import MLData
import TestSupport
import Testing

/// `dml datasets inspect` on tiny copies of the paper's datasets in their official layouts: each split's
/// counts beside the complete dataset's, and a deleted image named as missing.
@Suite struct DatasetsInspectCommandTests {
    @Test(arguments: [DatasetFormat.cub, .cars, .sop, .inshop])
    func countsAndMissingFiles(format: DatasetFormat) throws {
        let directory = try TemporaryDirectory()
        let data = try PaperDatasetLayout.write(format, trainImages: [2, 2, 2], testImages: [2, 2, 2, 1], in: directory,
                                                subfolder: "data")
        // (split, classes, images) of the layout: In-Shop's test classes give their first image to the query.
        let splits = format == .inshop ? [("train", 3, 6), ("query", 4, 4), ("gallery", 3, 3)] : [("train", 3, 6), ("test", 4, 7)]
        let lines = try inspect(format, data)
        for (name, classes, images) in splits {
            let expected = try #require(format.expectedSizes[name])
            let line = lines.first { $0.hasPrefix(name + " ") } ?? ""
            #expect(line.contains("classes \(classes) (expected \(expected.classes))"), "\(name): \(line)")
            #expect(line.contains("images \(images) (expected \(expected.images))"), "\(name): \(line)")
            #expect(line.contains("missing files 0 "), "\(name): \(line)")
        }

        let removed = try #require(try Dataset.load(format, at: data).split(splits[1].0).file(at: 1))
        try FileManager.default.removeItem(at: removed)
        let after = try inspect(format, data)
        #expect(after.contains("    missing: \(removed.path)"), "\(after)")
        #expect(after.first { $0.hasPrefix(splits[1].0 + " ") }?.contains("missing files 1 ") == true, "\(after)")
    }

    /// The lines `dml datasets inspect` prints; it must exit with 1 (the counts are not the complete
    /// dataset's) and say INCOMPLETE.
    private func inspect(_ format: DatasetFormat, _ data: URL) throws -> [String] {
        let (status, output) = try DMLProcess.run(["datasets", "inspect", "--format", format.rawValue, data.path])
        #expect(status == 1, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(format.rawValue) dataset at \(data.path)" && lines.last == "INCOMPLETE", "\(output)")
        return lines
    }
}

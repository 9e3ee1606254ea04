import Foundation
@testable import MLData
import TestSupport
import Testing

@Suite struct DatasetReportTests {
    @Test func reportsCountsBesideExpectedAndMissingFiles() throws {
        let dir = try CUB200Tests.make()
        let missing = dir.url.appendingPathComponent("images/200.Bird_200/img_5.jpg")
        try FileManager.default.removeItem(at: missing)
        let report = DatasetReport(try Dataset.load(.cub, at: dir.url))
        #expect(report.splits.map(\.name) == ["train", "test"])
        #expect(report.splits.map(\.classes) == [3, 2] && report.splits.map(\.images) == [4, 2])
        #expect(report.splits[1].expected == DatasetFormat.SplitSize(classes: 100, images: 5_924))
        #expect(report.splits.map(\.missingFiles) == [[], [missing]])
        #expect(!report.splits[0].matchesExpected && !report.isComplete)
    }

    @Test func formatsWithoutExpectedSizesAreCompleteWhenNoFileIsMissing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a/1.jpg", "x")
        let report = DatasetReport(try Dataset.load(.folder, at: dir.url))
        #expect(report.splits[0].expected == nil && report.isComplete)
    }
}

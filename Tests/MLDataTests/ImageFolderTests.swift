import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct ImageFolderTests {
    @Test func classesAreSubfoldersInNameOrder() throws {
        let dir = try TemporaryDirectory()
        for path in ["zebra/1.jpg", "zebra/2.PNG", "ant/1.jpeg", "ant/notes.txt", "ant/.hidden.jpg", "bee/x.png"] {
            try dir.write(path, "x")
        }
        let dataset = try Dataset.load(.folder, at: dir.url)
        #expect(dataset.splits.map(\.name) == ["all"])
        #expect(dataset.splits[0].labels == [0, 1, 2, 2])
        #expect(dataset.splits[0].classNames == ["ant", "bee", "zebra"])
        // A subset renumbers its labels and keeps each one's name.
        let subset = dataset.splits[0].subset([3, 1], name: "some")
        #expect(subset.labels == [1, 0] && subset.classNames == ["bee", "zebra"])
        #expect(dataset.splits[0].file(at: 0) == dir.url.appendingPathComponent("ant/1.jpeg"))
    }

    @Test func trainAndTestSubfoldersAreSplits() throws {
        let dir = try TemporaryDirectory()
        for path in ["train/a/1.jpg", "train/b/1.jpg", "test/c/1.jpg"] { try dir.write(path, "x") }
        let dataset = try Dataset.load(.folder, at: dir.url)
        #expect(dataset.splits.map(\.count) == [2, 1])
        #expect(try dataset.split("test").file(at: 0) == dir.url.appendingPathComponent("test/c/1.jpg"))
    }

    @Test func emptyFolderIsRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("readme.txt", "no images")
        #expect(throws: DataFileError(path: dir.url.path, "no class subfolders with .jpg/.jpeg/.png images")) {
            try Dataset.load(.folder, at: dir.url)
        }
    }
}

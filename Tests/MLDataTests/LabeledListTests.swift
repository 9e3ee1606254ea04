import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct LabeledListTests {
    @Test func readsTrainAndTestLists() throws {
        let dir = try TemporaryDirectory()
        try dir.write("train.txt", "images/a,b/1.jpg,0\nimages/2.jpg,3\r\nimages/3.jpg,0\n")
        try dir.write("test.txt", "images/4.jpg,100\nimages/5.jpg,101")
        let dataset = try Dataset.load(.list, at: dir.url)
        let train = try dataset.split("train")
        #expect(train.labels == [0, 1, 0])
        #expect(train.file(at: 0) == dir.url.appendingPathComponent("images/a,b/1.jpg"))
        #expect(try dataset.split("test").labels == [0, 1])
        let single = try Dataset.load(.list, at: dir.url.appendingPathComponent("test.txt"))
        #expect(single.splits.map(\.name) == ["test"])
        #expect(single.splits[0].file(at: 1) == dir.url.appendingPathComponent("images/5.jpg"))
    }

    @Test func readsInShopQueryAndGalleryLists() throws {
        let dir = try TemporaryDirectory()
        try dir.write("train.txt", "img/1.jpg,0\n")
        try dir.write("test_query.txt", "img/2.jpg,4000\n")
        try dir.write("test_gallery.txt", "img/3.jpg,4001\nimg/4.jpg,4000\n")
        let dataset = try Dataset.load(.list, at: dir.url)
        #expect(dataset.splits.map(\.name) == ["train", "query", "gallery"])
        #expect(try dataset.split("gallery").labels == [1, 0])
    }

    @Test func badLinesNameFileAndLine() throws {
        let dir = try TemporaryDirectory()
        let list = try dir.write("train.txt", "images/1.jpg,0\nimages/2.jpg\n")
        try dir.write("test.txt", "images/3.jpg,-1\n")
        var error = #expect(throws: DataFileError.self) { try Dataset.load(.list, at: dir.url) }
        #expect(error?.description == list.path + ":2: expected 'relative/path,label', found 'images/2.jpg'")
        try dir.write("train.txt", "images/1.jpg,0\n")
        error = #expect(throws: DataFileError.self) { try Dataset.load(.list, at: dir.url) }
        #expect(error?.reason == "label -1 is out of range 0...\(Int.max)")
        try FileManager.default.removeItem(at: list)
        error = #expect(throws: DataFileError.self) { try Dataset.load(.list, at: dir.url) }
        #expect(error?.path == list.path)
    }
}

import Foundation
@testable import MLData
import MLFormats
import TestSupport
import Testing

@Suite struct UnlabelledImagesTests {
    @Test func imagesUnderTheFolderInPathOrderWithoutLabels() throws {
        let dir = try TemporaryDirectory()
        for path in ["b.png", "a/2.JPG", "a/1.jpeg", "notes.txt", ".hidden/x.png", "a/.y.png", "c/d/e.png"] {
            try dir.write(path, "x")
        }
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("folder.png"), withIntermediateDirectories: true)
        let split = try DatasetSplit.unlabelledImages(in: dir.url)
        #expect(split.name == "images" && split.labels == [-1, -1, -1, -1])
        #expect((0..<split.count).map { split.file(at: $0)?.path } == ["a/1.jpeg", "a/2.JPG", "b.png", "c/d/e.png"].map {
            dir.url.appendingPathComponent($0).path
        })
    }

    @Test func folderWithoutImagesOrNoFolderIsRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("readme.txt", "no images")
        #expect(throws: DataFileError(path: dir.url.path, "no .jpg/.jpeg/.png images")) {
            try DatasetSplit.unlabelledImages(in: dir.url)
        }
        let missing = dir.url.appendingPathComponent("missing")
        #expect(throws: DataFileError(path: missing.path, "not a folder")) { try DatasetSplit.unlabelledImages(in: missing) }
    }
}

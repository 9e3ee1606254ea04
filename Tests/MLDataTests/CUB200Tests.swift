import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct CUB200Tests {
    /// A CUB layout of six images: classes 1, 1, 2, 100 (train) and 101, 200 (test).
    static func make(classLines: String? = nil) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let classes = [1, 1, 2, 100, 101, 200]
        var images = "", labels = ""
        for (i, c) in classes.enumerated() {
            let path = String(format: "%03d.Bird_%d/img_%d.jpg", c, c, i)
            images += "\(i + 1) \(path)\n"
            labels += "\(i + 1) \(c)\n"
            try dir.write("images/" + path, "jpeg")
        }
        try dir.write("images.txt", images)
        try dir.write("image_class_labels.txt", classLines ?? labels)
        return dir
    }

    @Test func splitsByClassWithContiguousLabels() throws {
        let dir = try Self.make()
        let dataset = try Dataset.load(.cub, at: dir.url)
        let train = try dataset.split("train"), test = try dataset.split("test")
        #expect(train.labels == [0, 0, 1, 2])
        #expect(train.classCount == 3)
        #expect(test.labels == [0, 1])
        #expect(train.classNames == nil && train.className(of: 1) == "class 1", "no classes.txt, no names")
        #expect(train.file(at: 3) == dir.url.appendingPathComponent("images/100.Bird_100/img_3.jpg"))
        #expect(train.missingFiles().isEmpty && test.missingFiles().isEmpty)
        try FileManager.default.removeItem(at: try #require(test.file(at: 1)))
        #expect(test.missingFiles() == [test.file(at: 1)])
    }

    @Test func classNamesComeFromClassesTxt() throws {
        let dir = try Self.make()
        try dir.write("classes.txt", (1...200).map { String(format: "%d %03d.Bird_number_%d", $0, $0, $0) }.joined(separator: "\n"))
        let dataset = try Dataset.load(.cub, at: dir.url)
        #expect(try dataset.split("train").classNames == ["Bird number 1", "Bird number 2", "Bird number 100"])
        #expect(try dataset.split("test").classNames == ["Bird number 101", "Bird number 200"])
        try dir.write("classes.txt", "1 A\n201 B\n")
        let error = #expect(throws: DataFileError.self) { try Dataset.load(.cub, at: dir.url) }
        #expect(error?.line == 2 && error?.reason.contains("class id 201") == true)
    }

    @Test func badLinesNameFileAndLine() throws {
        let outOfRange = try Self.make(classLines: "1 1\n2 201\n")
        var error = #expect(throws: DataFileError.self) { try Dataset.load(.cub, at: outOfRange.url) }
        #expect(error?.description == outOfRange.url.appendingPathComponent("image_class_labels.txt").path
                + ":2: class id 201 is out of range 1...200")
        let malformed = try Self.make(classLines: "1 1\n\n3\n")
        error = #expect(throws: DataFileError.self) { try Dataset.load(.cub, at: malformed.url) }
        #expect(error?.line == 3)
        let unknownID = try Self.make(classLines: "99 4\n")
        error = #expect(throws: DataFileError.self) { try Dataset.load(.cub, at: unknownID.url) }
        #expect(error?.reason == "image id 99 is not in images.txt")
    }

    @Test func missingAnnotationFileIsNamed() throws {
        let dir = try Self.make()
        let labels = dir.url.appendingPathComponent("image_class_labels.txt")
        try FileManager.default.removeItem(at: labels)
        let error = #expect(throws: DataFileError.self) { try Dataset.load(.cub, at: dir.url) }
        #expect(error?.path == labels.path)
        #expect(error?.reason.contains("missing") == true)
    }
}

import Foundation
@testable import MLData
import TestSupport
import Testing

@Suite struct DatasetSplitSubsetTests {
    @Test func subsetKeepsTheChosenImagesWithContiguousLabels() throws {
        let (_, split) = try TinyFashionMNIST.trainSplit()
        let indices = [7, 2, 12, 3]
        let subset = split.subset(indices, name: "part")
        #expect(subset.name == "part" && subset.count == 4)
        let original = try TinyFashionMNIST.pixels(split)
        #expect(try TinyFashionMNIST.pixels(subset) == indices.map { original[$0] })
        // Original labels 2, 2, 2, 3 (index mod 5) → 0, 0, 0, 1.
        #expect(indices.map { split.labels[$0] } == [2, 2, 2, 3])
        #expect(subset.labels == [0, 0, 0, 1])
    }

    @Test func subsetOfFilesKeepsTheirPaths() {
        let root = URL(fileURLWithPath: "/data/cub")
        let split = DatasetSplit(name: "train", labels: [4, 9, 4, 7],
                                 source: .files(root: root, paths: ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]))
        let subset = split.subset([3, 1], name: "validation")
        #expect(subset.labels == [0, 1])
        #expect((0..<2).map { subset.file(at: $0)?.lastPathComponent } == ["d.jpg", "b.jpg"])
    }
}

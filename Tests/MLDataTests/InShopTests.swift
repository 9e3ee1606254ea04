import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct InShopTests {
    static func partition(_ rows: [String], count: Int? = nil) -> String {
        "\(count ?? rows.count)\nimage_name item_id evaluation_status\n" + rows.joined(separator: "\n") + "\n"
    }

    @Test func splitsTrainQueryGalleryWithSharedTestLabels() throws {
        let dir = try TemporaryDirectory()
        try dir.write("list_eval_partition.txt", Self.partition([
            "img/WOMEN/Dresses/id_00000002/02_1_front.jpg id_00000002 train",
            "img/WOMEN/Dresses/id_00000007/01_1_front.jpg id_00000007 query",
            "img/MEN/Denim/id_00000001/01_1_front.jpg     id_00000001 train",
            "img/WOMEN/Dresses/id_00000007/01_2_side.jpg  id_00000007 gallery",
            "img/WOMEN/Skirts/id_00000009/01_1_front.jpg  id_00000009 gallery",
        ]))
        let dataset = try Dataset.load(.inshop, at: dir.url)
        #expect(dataset.splits.map(\.name) == ["train", "query", "gallery"])
        #expect(try dataset.split("train").labels == [1, 0])
        #expect(try dataset.split("query").labels == [0])
        #expect(try dataset.split("gallery").labels == [0, 1])
    }

    @Test func badRowsAreNamed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("list_eval_partition.txt", Self.partition(["a.jpg id_1 train", "b.jpg id_2 validation"]))
        var error = #expect(throws: DataFileError.self) { try Dataset.load(.inshop, at: dir.url) }
        #expect(error?.line == 4)
        try dir.write("list_eval_partition.txt", Self.partition(["a.jpg id_1 train"], count: 52712))
        error = #expect(throws: DataFileError.self) { try Dataset.load(.inshop, at: dir.url) }
        #expect(error?.reason == "line 1 announces 52712 images, the file lists 1")
    }
}

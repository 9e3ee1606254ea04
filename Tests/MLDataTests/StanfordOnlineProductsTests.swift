import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

@Suite struct StanfordOnlineProductsTests {
    static let header = "image_id class_id super_class_id path\n"

    @Test func readsBothLists() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Ebay_train.txt", Self.header + "1 1 1 bicycle_final/a_0.JPG\n2 1 1 bicycle_final/a_1.JPG\n3 5 2 cabinet_final/b_0.JPG\n")
        try dir.write("Ebay_test.txt", Self.header + "4 11319 1 bicycle_final/c_0.JPG\n5 11320 3 chair_final/d_0.JPG\n")
        let dataset = try Dataset.load(.sop, at: dir.url)
        #expect(try dataset.split("train").labels == [0, 0, 1])
        #expect(try dataset.split("test").labels == [0, 1])
        #expect(try dataset.split("test").file(at: 1) == dir.url.appendingPathComponent("chair_final/d_0.JPG"))
        #expect(try dataset.split("test").missingFiles().count == 2)
    }

    @Test func malformedLineIsNamed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Ebay_train.txt", Self.header + "1 1 1 a.JPG\n2 x 1 b.JPG\n")
        try dir.write("Ebay_test.txt", Self.header)
        let error = #expect(throws: DataFileError.self) { try Dataset.load(.sop, at: dir.url) }
        #expect(error?.line == 3)
        #expect(error?.reason == "class_id 'x' is not an integer")
        try dir.write("Ebay_train.txt", "1 1 1 a.JPG\n")
        let headerless = #expect(throws: DataFileError.self) { try Dataset.load(.sop, at: dir.url) }
        #expect(headerless?.line == 1)
    }
}

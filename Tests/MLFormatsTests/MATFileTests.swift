import Foundation
@testable import MLFormats
import TestSupport
import Testing

/// The files come from tools/reference/mat_fixtures.py (scipy.io.savemat, compressed); the literals below
/// are the ones that script writes.
@Suite struct MATFileTests {
    @Test func readsNumericCharCellAndLogicalArrays() throws {
        let file = try MATFile(contentsOf: Fixture.url("mat_misc.mat"))
        #expect(try file.variable("matrix") == .numeric(dimensions: [2, 3], values: [1, 4, 2, 5, 3, 6]))
        #expect(try file.variable("negative") == .numeric(dimensions: [1, 3], values: [-3, 0, 32000]))
        #expect(try file.variable("rows") == .text(dimensions: [2, 2], rows: ["ab", "cd"]))
        #expect(try file.variable("flag") == .numeric(dimensions: [1, 2], values: [1, 0]))
        let mixed = try file.variable("mixed")
        guard case .cell(let dims, let elements) = mixed else {
            Issue.record("mixed is not a cell array: \(mixed)")
            return
        }
        #expect(dims == [1, 3])
        #expect(elements.map(\.string) == ["abc", nil, nil])
        #expect(elements[1] == .numeric(dimensions: [1, 2], values: [1.5, -2]))
        #expect(elements[2].scalar == 7)
    }

    @Test func readsCarsAnnotationStructArray() throws {
        let file = try MATFile(contentsOf: Fixture.url("cars_annos_tiny.mat"))
        let annotations = try file.variable("annotations")
        #expect(annotations.dimensions == [1, 8])
        #expect(annotations.fieldNames == ["relative_im_path", "bbox_x1", "bbox_y1", "bbox_x2", "bbox_y2", "class", "test"])
        #expect(annotations.field("relative_im_path", at: 6)?.string == "car_ims/000007.jpg")
        #expect((0..<8).map { annotations.field("class", at: $0)?.scalar } == [1, 1, 2, 98, 99, 99, 150, 196])
        #expect(annotations.field("bbox_y1", at: 2)?.scalar == 6)
        let names = try file.variable("class_names")
        guard case .cell(_, let elements) = names else {
            Issue.record("class_names is not a cell array")
            return
        }
        #expect(elements.count == 196)
        #expect(elements[195].string == "Model 196")
    }

    @Test func readsBigEndianUncompressedFiles() throws {
        let file = try MATFile(contentsOf: Fixture.url("mat_big_endian.mat"))
        #expect(try file.variable("x") == .numeric(dimensions: [1, 2], values: [1.5, -2]))
        #expect(try file.variable("y") == .numeric(dimensions: [2, 1], values: [300, -2]))
    }

    @Test func missingVariableListsTheOthers() throws {
        let file = try MATFile(contentsOf: Fixture.url("cars_train_annos_tiny.mat"))
        let error = #expect(throws: DataFileError.self) { try file.variable("labels") }
        #expect(error?.reason == "no variable 'labels' (has [\"annotations\"])")
    }

    @Test func truncatedAndForeignFilesAreRefused() throws {
        let bytes = [UInt8](try Data(contentsOf: Fixture.url("cars_annos_tiny.mat")))
        let dir = try TemporaryDirectory()
        for (name, content) in [("cut.mat", Array(bytes.prefix(bytes.count - 40))),
                                ("header.mat", Array(bytes.prefix(100))),
                                ("text.mat", Array(String(repeating: "not a mat file ", count: 20).utf8))] {
            let url = try dir.write(name, bytes: content)
            let error = #expect(throws: DataFileError.self) { try MATFile(contentsOf: url) }
            #expect(error?.path == url.path)
        }
    }
}

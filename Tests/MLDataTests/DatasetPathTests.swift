import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

/// Image paths from annotation files stay inside the dataset folder (issue 16: `../../etc/passwd` in a
/// list file was read, and `datasets inspect` said OK).
@Suite struct DatasetPathTests {
    @Test func pathsThatLeaveTheFolderAreRecognised() {
        for inside in ["a.jpg", "images/001/a.jpg", "./a.jpg", "a/../b.jpg", "a/b/../../c.jpg", ".../a.jpg", "a//b.jpg"] {
            #expect(DatasetPath.problem(inside) == nil, "\(inside)")
        }
        #expect(DatasetPath.problem("../a.jpg") == "image path '../a.jpg' leads out of the dataset folder")
        #expect(DatasetPath.problem("a/../../b.jpg") == "image path 'a/../../b.jpg' leads out of the dataset folder")
        #expect(DatasetPath.problem("/etc/passwd") == "image path '/etc/passwd' is absolute; it must be relative to the dataset folder")
        #expect(DatasetPath.problem("") == "empty image path")
        // Found by fuzzing the list reader: "." and "a/.." name the folder itself.
        #expect(DatasetPath.problem(".") == "image path '.' names the dataset folder itself, not a file in it")
        #expect(DatasetPath.problem("a/..") == "image path 'a/..' names the dataset folder itself, not a file in it")
        #expect(DatasetPath.problem("a\0.jpg") == "image path contains a NUL byte")
        // As characters "/\u{301}" is not "/"; as the file system sees it, it is.
        #expect(DatasetPath.problem("/\u{301}etc/passwd")?.hasSuffix("is absolute; it must be relative to the dataset folder") == true)
        #expect(DatasetPath.problem("a/\u{301}/../../..")?.hasSuffix("leads out of the dataset folder") == true)
    }

    @Test func listFiles() throws {
        try expectRefusal(.list, [("train.txt", "images/1.jpg,0\n../../etc/passwd,1\n"), ("test.txt", "images/2.jpg,0\n")],
                          "2: image path '../../etc/passwd' leads out of the dataset folder")
    }

    @Test func cubImageList() throws {
        try expectRefusal(.cub, [("images.txt", "1 001.Bird/a.jpg\n2 ../../../etc/passwd\n"), ("image_class_labels.txt", "1 1\n2 1\n")],
                          "2: image path '../../../etc/passwd' leads out of the dataset folder")
    }

    @Test func stanfordOnlineProductsLists() throws {
        let header = "image_id class_id super_class_id path\n"
        try expectRefusal(.sop, [("Ebay_train.txt", header + "1 1 1 bicycle_final/a.JPG\n2 1 1 /etc/passwd\n"),
                                 ("Ebay_test.txt", header + "1 2 1 chair_final/b.JPG\n")],
                          "3: image path '/etc/passwd' is absolute; it must be relative to the dataset folder")
    }

    @Test func inShopPartition() throws {
        try expectRefusal(.inshop, [("list_eval_partition.txt",
                                     "2\nimage_name item_id evaluation_status\nimg/a.jpg id_1 train\nimg/../../b.jpg id_2 query\n")],
                          "4: image path 'img/../../b.jpg' leads out of the dataset folder")
    }

    /// Loads a `format` folder holding `files` (name, text) whose first file names a path outside the
    /// folder: the error must name that file, then `lineAndProblem`.
    private func expectRefusal(_ format: DatasetFormat, _ files: [(String, String)], _ lineAndProblem: String) throws {
        let dir = try TemporaryDirectory()
        let culprit = try dir.write(files[0].0, files[0].1)
        for (name, text) in files.dropFirst() { try dir.write(name, text) }
        let error = #expect(throws: DataFileError.self) { try Dataset.load(format, at: dir.url) }
        #expect(error?.description == "\(culprit.path):\(lineAndProblem)")
    }

    @Test func carsRelativeImagePaths() throws {
        let dir = try TemporaryDirectory()
        let annotations = try dir.write("cars_annos.mat", bytes: MATBytes.carsAnnotations([("car_ims/000001.jpg", 1), ("../../etc/passwd", 1)]))
        let error = #expect(throws: DataFileError.self) { try Dataset.load(.cars, at: dir.url) }
        #expect(error?.description == "\(annotations.path): annotation 2: image path '../../etc/passwd' leads out of the dataset folder")
    }
}

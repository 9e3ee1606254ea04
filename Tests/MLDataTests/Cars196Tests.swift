import Foundation
@testable import MLData
@testable import MLFormats
import TestSupport
import Testing

/// The annotation files come from tools/reference/mat_fixtures.py: eight images of classes
/// 1, 1, 2, 98 (train) and 99, 99, 150, 196 (test); the devkit files hold the odd and even images.
@Suite struct Cars196Tests {
    @Test func readsOriginalLayout() throws {
        let dir = try TemporaryDirectory()
        try dir.copyFixture("cars_annos_tiny.mat", to: "cars_annos.mat")
        for n in 1...8 { try dir.write(String(format: "car_ims/%06d.jpg", n), "jpeg") }
        let dataset = try Dataset.load(.cars, at: dir.url)
        let train = try dataset.split("train"), test = try dataset.split("test")
        #expect(train.labels == [0, 0, 1, 2])
        #expect(test.labels == [0, 0, 1, 2])
        #expect(test.file(at: 2) == dir.url.appendingPathComponent("car_ims/000007.jpg"))
        #expect(train.missingFiles().isEmpty && test.missingFiles().isEmpty)
    }

    @Test func readsDevkitLayout() throws {
        let dir = try TemporaryDirectory()
        try dir.copyFixture("cars_train_annos_tiny.mat", to: "devkit/cars_train_annos.mat")
        try dir.copyFixture("cars_test_annos_withlabels_tiny.mat", to: "cars_test_annos_withlabels.mat")
        let dataset = try Dataset.load(.cars, at: dir.url)
        let train = try dataset.split("train"), test = try dataset.split("test")
        // Devkit train part: images 1, 3, 5, 7 (classes 1, 2, 99, 150); test part: 2, 4, 6, 8 (1, 98, 99, 196).
        #expect(train.count == 4 && train.classCount == 3)
        #expect(test.count == 4 && test.classCount == 3)
        #expect(train.file(at: 0) == dir.url.appendingPathComponent("cars_train/00001.jpg"))
        #expect(train.file(at: 2) == dir.url.appendingPathComponent("cars_test/00002.jpg"))
        #expect(train.missingFiles().count == 4)
        // Mirrors that nest the images one folder deeper.
        try dir.write("cars_test/cars_test/00002.jpg", "jpeg")
        let nested = try Dataset.load(.cars, at: dir.url).split("train")
        #expect(nested.file(at: 2) == dir.url.appendingPathComponent("cars_test/cars_test/00002.jpg"))
        #expect(nested.missingFiles().count == 3)
    }

    @Test func missingAnnotationsAreNamed() throws {
        let dir = try TemporaryDirectory()
        var error = #expect(throws: DataFileError.self) { try Dataset.load(.cars, at: dir.url) }
        #expect(error?.path == dir.url.appendingPathComponent("cars_annos.mat").path)
        try dir.copyFixture("cars_train_annos_tiny.mat", to: "devkit/cars_train_annos.mat")
        error = #expect(throws: DataFileError.self) { try Dataset.load(.cars, at: dir.url) }
        #expect(error?.path == dir.url.appendingPathComponent("cars_test_annos_withlabels.mat").path)
    }

    @Test func truncatedAnnotationsAreRefused() throws {
        let dir = try TemporaryDirectory()
        let bytes = [UInt8](try Data(contentsOf: Fixture.url("cars_annos_tiny.mat")))
        let file = try dir.write("cars_annos.mat", bytes: Array(bytes.prefix(bytes.count * 2 / 3)))
        let error = #expect(throws: DataFileError.self) { try Dataset.load(.cars, at: dir.url) }
        #expect(error?.path == file.path)
    }
}

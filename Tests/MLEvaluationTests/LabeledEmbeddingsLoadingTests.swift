import Foundation
@testable import MLEngine
@testable import MLEvaluation
@testable import MLFormats
import TestSupport
import Testing

@Suite("LabeledEmbeddings loading")
struct LabeledEmbeddingsLoadingTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dml-embeddings-\(getpid())")
    let values = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])

    func write(_ name: String, _ build: (inout SafeTensorsFile) throws -> Void) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var file = SafeTensorsFile()
        try build(&file)
        let url = directory.appendingPathComponent(name)
        try file.write(to: url)
        return url
    }

    @Test("safetensors with embeddings and I64 or I32 labels, or .npy with a labels file")
    func reads() throws {
        for dtype in [TensorDType.int64, .int32] {
            let url = try write("e-\(dtype.rawValue).safetensors") { file in
                file.add(values, named: "embeddings")
                try file.add(integers: [4, 5, 4], named: "labels", as: dtype)
            }
            let loaded = try LabeledEmbeddings(contentsOf: url)
            #expect(loaded.labels == [4, 5, 4])
            #expect(loaded.values.scalars == values.scalars)
            #expect(loaded.name == url.path)
        }
        let npy = directory.appendingPathComponent("e.npy")
        try NumPyArray.write([1, 2, 3, 4, 5], shape: [5, 1], to: npy)
        let fromNumPy = try LabeledEmbeddings(contentsOf: npy, labels: Fixture.url("npy/int32_5.npy"))
        #expect(fromNumPy.labels == [3, -1, 7, 0, 9])
        #expect(fromNumPy.values.shape == [5, 1])
        let three = directory.appendingPathComponent("three.npy")
        try NumPyArray.write(values.scalars, shape: values.shape, to: three)
        #expect(throws: EvaluationError(three.path, "5 labels for 3 embeddings")) {
            try LabeledEmbeddings(contentsOf: three, labels: Fixture.url("npy/int32_5.npy"))
        }
    }

    @Test("a file without the expected tensors, or with the wrong types, is named")
    func missingTensors() throws {
        let noLabels = try write("no-labels.safetensors") { $0.add(values, named: "embeddings") }
        #expect(throws: EvaluationError(noLabels.path, "no tensor named 'labels' (the file has embeddings)")) {
            try LabeledEmbeddings(contentsOf: noLabels)
        }
        let wrongName = try write("wrong.safetensors") { file in
            file.add(values, named: "features")
            try file.add(integers: [0, 1, 2], named: "labels")
        }
        #expect(throws: EvaluationError(wrongName.path, "no tensor named 'embeddings' (the file has features, labels)")) {
            try LabeledEmbeddings(contentsOf: wrongName)
        }
        let floatLabels = try write("float-labels.safetensors") { file in
            file.add(values, named: "embeddings")
            file.add(Tensor(shape: [3], values: [0, 1, 2]), named: "labels")
        }
        #expect(throws: EvaluationError(floatLabels.path, "tensor 'labels' is F32 of shape [3], expected a 1-D I64 or I32 tensor")) {
            try LabeledEmbeddings(contentsOf: floatLabels)
        }
        let npy = directory.appendingPathComponent("alone.npy")
        try NumPyArray.write(values.scalars, shape: values.shape, to: npy)
        #expect(throws: EvaluationError(npy.path, "a .npy embeddings file needs a labels file (--labels)")) {
            try LabeledEmbeddings(contentsOf: npy)
        }
    }
}
